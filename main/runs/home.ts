import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the studio keeps its data: GAN_STUDIO_HOME when set, else the
 * platform's application-data folder — the same folder Electron's
 * app.getPath('userData') gives the desktop app, so CLI and app share runs.
 */
export function studioHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.GAN_STUDIO_HOME) return env.GAN_STUDIO_HOME;
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'GAN Studio');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'GAN Studio');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'GAN Studio');
}
