/**
 * The desktop shell's policies that do not need Electron to check: the
 * permission handlers, the menu of a packaged build, and that nothing hands a
 * URL to the operating system.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { lockPermissions, permissionAllowed, type PermissionSession } from '../../electron/permissions.js';
import { menuTemplate } from '../../electron/menu.js';

const ELECTRON_SRC = fileURLToPath(new URL('../../../electron/', import.meta.url));

type RequestHandler = Parameters<PermissionSession['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<PermissionSession['setPermissionCheckHandler']>[0];
type DeviceHandler = Parameters<PermissionSession['setDevicePermissionHandler']>[0];

function installed() {
  let request: RequestHandler | null = null;
  let check: CheckHandler | null = null;
  let device: DeviceHandler | null = null;
  lockPermissions({
    setPermissionRequestHandler: (h) => (request = h),
    setPermissionCheckHandler: (h) => (check = h),
    setDevicePermissionHandler: (h) => (device = h),
  });
  assert.ok(request && check && device, 'all three handlers are installed');
  const ask = (permission: string, requestingUrl: string, isMainFrame = true) => {
    let answer: boolean | null = null;
    request!({}, permission, (granted) => (answer = granted), { requestingUrl, isMainFrame });
    assert.notEqual(answer, null, 'the request handler always answers');
    return answer as unknown as boolean;
  };
  return { ask, check: check as unknown as CheckHandler, device: device as unknown as DeviceHandler };
}

const APP = 'studio://app/index.html';
const OTHER_PERMISSIONS = ['media', 'geolocation', 'notifications', 'midiSysex', 'openExternal', 'hid', 'serial', 'usb', 'fileSystem', 'display-capture', 'deprecated-sync-clipboard-read', 'unknown'];

describe('permissions', () => {
  test('requests: the clipboard for the app’s own main frame, nothing else for anyone', () => {
    const { ask } = installed();
    assert.equal(ask('clipboard-sanitized-write', APP), true, 'Copy latent');
    assert.equal(ask('clipboard-read', APP), true, 'Paste latent');
    assert.equal(ask('clipboard-read', 'studio://app/runs/x#explore'), true, 'any page of the app');
    for (const p of OTHER_PERMISSIONS) assert.equal(ask(p, APP), false, p);
    for (const url of ['https://evil.example/', 'studio://other/index.html', 'file:///home/me/x.html', 'studio://user:pw@app/', 'about:blank', '']) {
      assert.equal(ask('clipboard-read', url), false, url);
      assert.equal(ask('clipboard-sanitized-write', url), false, url);
    }
    assert.equal(ask('clipboard-read', APP, false), false, 'a subframe, even of our origin');
  });

  test('checks: the same rule, from the requesting URL or else the origin; embedded frames never', () => {
    const { check } = installed();
    assert.equal(check(null, 'clipboard-read', 'studio://app', { isMainFrame: true, requestingUrl: APP }), true);
    assert.equal(check(null, 'clipboard-sanitized-write', 'studio://app', { isMainFrame: true }), true, 'no document URL: the origin decides');
    assert.equal(check(null, 'clipboard-read', 'https://evil.example', { isMainFrame: true }), false);
    assert.equal(check(null, 'clipboard-read', 'studio://app', { isMainFrame: true, embeddingOrigin: 'https://evil.example' }), false);
    assert.equal(check(null, 'clipboard-read', 'studio://app', { isMainFrame: false, requestingUrl: APP }), false);
    for (const p of OTHER_PERMISSIONS) assert.equal(check(null, p, 'studio://app', { isMainFrame: true, requestingUrl: APP }), false, p);
  });

  test('devices: HID, serial and USB access is always refused', () => {
    const { device } = installed();
    for (const deviceType of ['hid', 'serial', 'usb']) assert.equal(device({ deviceType, origin: 'studio://app', device: {} }), false);
  });

  test('permissionAllowed is the one rule behind all of them', () => {
    assert.equal(permissionAllowed('clipboard-read', APP, true), true);
    assert.equal(permissionAllowed('clipboard-read', undefined, true), false);
  });
});

describe('menu', () => {
  const roles = (items: MenuItemConstructorOptions[]): string[] =>
    items.flatMap((i) => [...(i.role ? [String(i.role)] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])]);
  const menu = (isDev: boolean, isMac: boolean) => menuTemplate({ appName: 'GAN Studio', isMac, isDev, onImportDataset: () => {} });

  test('a packaged build has no DevTools, reload or force-reload on any platform', () => {
    for (const isMac of [false, true]) {
      const r = roles(menu(false, isMac));
      for (const dev of ['toggleDevTools', 'reload', 'forceReload']) assert.ok(!r.includes(dev), `${dev} (mac: ${isMac})`);
      assert.ok(r.includes('copy') && r.includes('paste'), 'editing stays');
    }
  });

  test('a development build has them', () => {
    const r = roles(menu(true, false));
    for (const dev of ['toggleDevTools', 'reload', 'forceReload']) assert.ok(r.includes(dev), dev);
  });

  test('Import dataset… calls back', () => {
    let called = 0;
    const file = menuTemplate({ appName: 'GAN Studio', isMac: false, isDev: false, onImportDataset: () => called++ }).find((m) => m.label === 'File');
    const item = (file?.submenu as MenuItemConstructorOptions[]).find((i) => i.label === 'Import dataset…');
    (item?.click as () => void)();
    assert.equal(called, 1);
  });
});

describe('nothing leaves the app', () => {
  test('no module of the desktop shell hands a URL or path to the operating system', () => {
    const sources = readdirSync(ELECTRON_SRC).filter((f) => /\.c?ts$/.test(f));
    assert.ok(sources.length > 5);
    for (const f of sources) {
      // Code only: comments may say why it is not used.
      const text = readFileSync(join(ELECTRON_SRC, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      assert.doesNotMatch(text, /\bshell\s*\.\s*(openExternal|openPath|showItemInFolder)|\{\s*[^}]*\bshell\b[^}]*\}\s*from\s*'electron'/, f);
    }
  });
});
