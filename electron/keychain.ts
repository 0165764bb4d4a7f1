/**
 * The studio's secrets (the remote workers' Redis password) in the OS
 * keychain: Electron's safeStorage encrypts them with a key the keychain
 * holds (Keychain on macOS, DPAPI on Windows, libsecret or KWallet on
 * Linux); only the ciphertext is written, under the app's data folder.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import { writeFileAtomic } from '../main/fsx.js';
import type { SecretStore } from '../main/service/remote-side.js';

/** The keychain's secret store, or undefined where there is no real keychain (Linux's plain-text fallback is not one). */
export function keychainSecrets(dir: string): SecretStore | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return undefined;
  const file = (name: string) => join(dir, `${name.replace(/[^a-z0-9-]/gi, '_')}.secret`);
  return {
    get: (name) => {
      try {
        return safeStorage.decryptString(readFileSync(file(name)));
      } catch {
        // Missing, or sealed by another user or machine: as if never saved.
        return null;
      }
    },
    set: (name, value) => {
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(file(name), safeStorage.encryptString(value));
    },
    delete: (name) => rmSync(file(name), { force: true }),
  };
}
