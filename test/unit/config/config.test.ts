import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config';

describe('loadConfig', () => {
  it('gives the contract defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBe('sqlite:./data/hotline.sqlite');
    expect(c.ari).toMatchObject({ url: 'http://127.0.0.1:18088', user: 'hotline', app: 'hotline' });
    expect(c.logLevel).toBe('info');
    expect(Object.isFrozen(c.ari)).toBe(true);
  });

  it('takes the environment over the files', () => {
    const c = loadConfig({
      PORT: '4000',
      ARI_APP: 'other',
      DATABASE_URL: 'postgres://u@h/db',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(c.port).toBe(4000);
    expect(c.ari.app).toBe('other');
    expect(c.databaseUrl).toBe('postgres://u@h/db');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it.each([
    [{ PORT: 'eighty' }, /^invalid configuration: PORT: /],
    [{ PORT: '70000' }, /^invalid configuration: PORT: /],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: must be sqlite:PATH or postgres/],
    [{ ARI_URL: 'ftp://x' }, /ARI_URL: /],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: /],
    [{ HOTLINE_ADMIN_PASSWORD: 'short' }, /HOTLINE_ADMIN_PASSWORD: must be at least 8 characters/],
    [{ HOTLINE_DEFAULT_REGION: 'china' }, /HOTLINE_DEFAULT_REGION: /],
  ])('stops on %p with one line naming the key', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('reads privacy.fullNumberRoles (supervisor and admin by default), never qa or agents', () => {
    expect(loadConfig({}).privacy.fullNumberRoles).toEqual(['supervisor', 'admin']);
    const file = (json: object) => {
      const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-cfg-')), 'c.json');
      fs.writeFileSync(f, JSON.stringify(json));
      return f;
    };
    const onDemand = loadConfig({
      HOTLINE_CONFIG: file({ privacy: { fullNumberRoles: ['admin'] } }),
    });
    expect(onDemand.privacy.fullNumberRoles).toEqual(['admin']);
    expect(Object.isFrozen(onDemand.privacy.fullNumberRoles)).toBe(true);
    expect(() =>
      loadConfig({ HOTLINE_CONFIG: file({ privacy: { fullNumberRoles: ['qa'] } }) }),
    ).toThrow(/^invalid configuration: privacy\.fullNumberRoles\.0: supervisor or admin/);
  });
});
