// The web app's texts from outside: the Chinese and English locale files (web/src/locales) hold
// the same keys, and every notification type the server declares in its OpenAPI document has a
// label in both (the inbox and the settings page show notifications.types.TYPE; a missing one
// shows the bare key to the user).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform } from '../lib/platform.mjs';
import { rawFetch } from './helpers.mjs';
import zh from '../../web/src/locales/zh-CN.js';
import en from '../../web/src/locales/en.js';

/** Every leaf's dotted path in a nested object of texts. */
function paths(value, prefix = '') {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([k, v]) => paths(v, prefix ? `${prefix}.${k}` : k));
}

describe('the web app\'s texts', () => {
  let server, openapi;
  before(async () => {
    server = await startPlatform();
    openapi = (await rawFetch(server.url, '/api/openapi.json')).body;
  });
  after(async () => { await server?.stop(); });

  test('Chinese and English have the same keys', () => {
    const zhPaths = new Set(paths(zh)), enPaths = new Set(paths(en));
    assert.deepEqual([...zhPaths].filter((p) => !enPaths.has(p)), [], 'in Chinese only');
    assert.deepEqual([...enPaths].filter((p) => !zhPaths.has(p)), [], 'in English only');
  });

  test('every notification type of the server has a label in both languages', () => {
    const types = openapi.components.schemas.NotificationType.enum;
    assert.ok(types.includes('policy_reviewed') && types.includes('activity'), JSON.stringify(types));
    for (const [name, texts] of [['zh-CN', zh], ['en', en]]) {
      const missing = types.filter((t) => typeof texts.notifications.types[t] !== 'string' || !texts.notifications.types[t]);
      assert.deepEqual(missing, [], `${name}: notification types without a label`);
    }
  });
});
