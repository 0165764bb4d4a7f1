import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the studio keeps its data: GAN_STUDIO_HOME when set, else the
 * platform's application-data folder — the same folder Electron's
 * app.getPath('userData') gives the desktop app, so CLI and app share runs.
 */
export function studioHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  // Absolute, so paths the studio hands out (uploads, checkpoints) mean the same from any working directory.
  if (env.GAN_STUDIO_HOME) return resolve(env.GAN_STUDIO_HOME);
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'GAN Studio');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'GAN Studio');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'GAN Studio');
}
