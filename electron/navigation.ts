/**
 * Where the window may go: nowhere but where it is. The interface has no
 * links to the web, so nothing is handed to the user's browser either
 * (shell.openExternal with a URL the page chose would let injected script
 * carry data past the page's connect-src 'self').
 */
export type NavigationDecision = 'allow' | 'deny';

export function decideNavigation(target: string, current: string): NavigationDecision {
  return target === current ? 'allow' : 'deny';
}
