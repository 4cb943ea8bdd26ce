import { describe, expect, it } from 'vitest';
import { cleanServers, exportServers, parseServerList } from '../../src/app/servers-store.ts';

describe('server list export and import', () => {
  const servers = [
    { serverUrl: 'https://a.example/mcp', keepSignedIn: true, clientId: 'my-client', scopes: 'read write', roots: [{ uri: 'file:///home/me', name: 'home' }] },
    { serverUrl: 'http://localhost:3000/mcp', keepSignedIn: false },
  ];

  it('round-trips URLs, client settings and roots', () => {
    expect(parseServerList(exportServers(servers))).toEqual(servers);
  });

  it('never carries anything but the known fields (no secret can ride along)', () => {
    const text = exportServers([{ ...servers[0]!, clientSecret: 'hunter2', token: 'abc' } as never]);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('abc"');
    const imported = parseServerList(JSON.stringify({ format: 'keyhole-servers', version: 1, servers: [{ serverUrl: 'https://b.example/mcp', clientSecret: 'x', accessToken: 'y' }] }));
    expect(imported).toEqual([{ serverUrl: 'https://b.example/mcp', keepSignedIn: false }]);
  });

  it('accepts a bare array of servers', () => {
    expect(parseServerList('[{"serverUrl":"https://c.example/mcp"}]')).toEqual([{ serverUrl: 'https://c.example/mcp', keepSignedIn: false }]);
  });

  it('says what is wrong with a file that is not a server list', () => {
    expect(() => parseServerList('not json')).toThrow('The file is not JSON.');
    expect(() => parseServerList('{"servers":[]}')).toThrow(/not a Keyhole server list/);
    expect(() => parseServerList('{"format":"keyhole-servers","version":2,"servers":[]}')).toThrow(/version 2/);
    expect(() => parseServerList('{"format":"keyhole-servers","version":1,"servers":[{"url":"x"}]}')).toThrow('The file lists no servers.');
  });

  it('drops malformed entries and roots', () => {
    expect(cleanServers([null, 3, { serverUrl: 5 }, { serverUrl: 'https://d.example/mcp', roots: [{ uri: 1 }, { uri: 'file:///x', name: 2 }], scopes: '' }])).toEqual([
      { serverUrl: 'https://d.example/mcp', keepSignedIn: false, roots: [{ uri: 'file:///x' }] },
    ]);
  });
});
