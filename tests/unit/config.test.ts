import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/config.ts';

describe('loadConfig', () => {
  it('binds to loopback and uses embedded defaults when nothing is configured', () => {
    const config = loadConfig({ HOME: '/home/op' }, '/srv/trellis');
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toBe('/srv/trellis/data');
    expect(config.cacheDir).toBe('/home/op/.cache/trellis');
    expect(config.temporal.address).toBeUndefined();
    expect(config.weaviate.url).toBeUndefined();
    expect(config.postgres.url).toBeUndefined();
    expect(config.temporal.uiUrl).toBe('http://127.0.0.1:8233');
  });

  it('takes services from the environment when they are configured', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal:7233',
      WEAVIATE_URL: 'http://w:8080',
      DATABASE_URL: 'postgres://x/y',
    });
    expect(config.temporal.address).toBe('temporal:7233');
    expect(config.temporal.uiUrl).toBeUndefined();
    expect(config.weaviate.url).toBe('http://w:8080');
    expect(config.postgres.url).toBe('postgres://x/y');
  });

  it('names the variable when a port is not a port', () => {
    expect(() => loadConfig({ TRELLIS_WEAVIATE_GRPC_PORT: 'fifty' })).toThrow(
      /TRELLIS_WEAVIATE_GRPC_PORT must be a TCP port/,
    );
    expect(() => loadConfig({ TRELLIS_PORT: '70000' })).toThrow(/TRELLIS_PORT/);
  });

  it('puts the raft RPC port next to the raft port unless told otherwise', () => {
    expect(loadConfig({ TRELLIS_WEAVIATE_RAFT_PORT: '9300' }).weaviate.raftRpcPort).toBe(9301);
  });

  it('keeps every Temporal commit durable unless told otherwise, and names the variable on a bad value', () => {
    expect(loadConfig({}).temporal.sqliteSync).toBe('full');
    expect(loadConfig({ TRELLIS_TEMPORAL_SQLITE_SYNC: 'NORMAL' }).temporal.sqliteSync).toBe('normal');
    expect(() => loadConfig({ TRELLIS_TEMPORAL_SQLITE_SYNC: 'off' })).toThrow(
      /TRELLIS_TEMPORAL_SQLITE_SYNC must be one of full, normal, got "off"/,
    );
  });

  it('starts the local mail sink on 1025 and 8025 unless told otherwise, and names the variable on a bad value', () => {
    expect(loadConfig({}).mailpit).toEqual({ enabled: true, smtpPort: 1025, webPort: 8025 });
    expect(
      loadConfig({ TRELLIS_MAILPIT: 'OFF', TRELLIS_MAILPIT_SMTP_PORT: '2525', TRELLIS_MAILPIT_PORT: '9025' }).mailpit,
    ).toEqual({ enabled: false, smtpPort: 2525, webPort: 9025 });
    expect(() => loadConfig({ TRELLIS_MAILPIT: 'yes' })).toThrow(/TRELLIS_MAILPIT must be one of on, off, got "yes"/);
    expect(() => loadConfig({ TRELLIS_MAILPIT_SMTP_PORT: 'smtp' })).toThrow(
      /TRELLIS_MAILPIT_SMTP_PORT must be a TCP port/,
    );
  });
});
