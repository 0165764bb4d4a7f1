/** Where the window may go: nowhere but where it is; https links open in the user's browser. */
export type NavigationDecision = 'allow' | 'deny' | 'external';

export function decideNavigation(target: string, current: string): NavigationDecision {
  if (target === current) return 'allow';
  return isHttps(target) ? 'external' : 'deny';
}

export function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
