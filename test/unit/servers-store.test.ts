import { describe, expect, it } from 'vitest';
import { IMPORT_REASONS, cleanServers, exportServers, parseAnyServerList, parseServerList } from '../../src/app/servers-store.ts';

describe('server list export and import', () => {
  const servers: Parameters<typeof exportServers>[0] = [
    { serverUrl: 'https://a.example/mcp', name: 'Team A', protocol: '2026-07-28', keepSignedIn: true, clientId: 'my-client', scopes: 'read write', roots: [{ uri: 'file:///home/me', name: 'home' }] },
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

describe('display name and protocol pin', () => {
  it('keeps a trimmed name of at most 80 characters, and a known protocol revision', () => {
    expect(cleanServers([{ serverUrl: 'https://a.example/mcp', name: '  Mine  ', protocol: '2025-11-25' }])).toEqual([
      { serverUrl: 'https://a.example/mcp', name: 'Mine', protocol: '2025-11-25', keepSignedIn: false },
    ]);
    expect(cleanServers([{ serverUrl: 'https://a.example/mcp', name: 'x'.repeat(80) }])[0]!.name).toBe('x'.repeat(80));
  });

  it('drops a name that is empty, too long or not a string, and a protocol it does not know', () => {
    for (const bad of [{ name: '   ' }, { name: 'x'.repeat(81) }, { name: 7 }, { protocol: '2024-11-05' }, { protocol: 'auto' }, { protocol: 2026 }]) {
      expect(cleanServers([{ serverUrl: 'https://a.example/mcp', ...bad }])).toEqual([{ serverUrl: 'https://a.example/mcp', keepSignedIn: false }]);
    }
  });
});

describe('import from the ecosystem', () => {
  const json = (v: unknown) => JSON.stringify(v);

  it('reads Keyhole\'s own export, and says so', () => {
    const out = parseAnyServerList(exportServers([{ serverUrl: 'https://a.example/mcp', name: 'A', keepSignedIn: true }]));
    expect(out).toEqual({ format: 'keyhole', servers: [{ serverUrl: 'https://a.example/mcp', name: 'A', keepSignedIn: true }], skipped: [], notes: [] });
  });

  it('skips a URL the typed-in rule refuses, with the rule\'s words', () => {
    const out = parseAnyServerList(json([{ serverUrl: 'http://evil.example/mcp' }, { serverUrl: 'javascript:alert(1)' }, { serverUrl: 'http://localhost:3000/mcp' }]));
    expect(out.servers.map((s) => s.serverUrl)).toEqual(['http://localhost:3000/mcp']);
    expect(out.skipped).toEqual([
      { name: 'http://evil.example/mcp', reason: expect.stringMatching(/http:\/\/ off loopback/) },
      { name: 'javascript:alert(1)', reason: expect.stringMatching(/scheme javascript:/) },
    ]);
  });

  describe('MCP registry server.json', () => {
    const doc = {
      $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      name: 'com.example/acme-analytics',
      title: 'ACME Analytics',
      version: '2.0.0',
      remotes: [
        { type: 'streamable-http', url: 'https://analytics.example.com/mcp' },
        { type: 'sse', url: 'https://analytics.example.com/sse' },
        { type: 'streamable-http', url: 'https://{tenant_id}.example.com/mcp', variables: { tenant_id: { isRequired: true } } },
        { type: 'streamable-http', url: 'https://keyed.example.com/mcp', headers: [{ name: 'X-API-Key', value: '{api_key}', isSecret: true, isRequired: true }] },
      ],
      packages: [
        { registryType: 'npm', identifier: '@acme/analytics-mcp', version: '2.0.0', transport: { type: 'stdio' }, environmentVariables: [{ name: 'ACME_TOKEN', isSecret: true }] },
        { registryType: 'oci', identifier: 'docker.io/acme/analytics', transport: { type: 'streamable-http', url: 'http://localhost:{port}/mcp' } },
      ],
    };

    it('adds each streamable-http remote, named by the title', () => {
      const out = parseAnyServerList(json(doc));
      expect(out.format).toBe('server.json');
      expect(out.servers).toEqual([
        { serverUrl: 'https://analytics.example.com/mcp', name: 'ACME Analytics', keepSignedIn: false },
        { serverUrl: 'https://keyed.example.com/mcp', name: 'ACME Analytics', keepSignedIn: false },
      ]);
    });

    it('skips sse remotes, templated URLs and packages, each with its reason', () => {
      expect(parseAnyServerList(json(doc)).skipped).toEqual([
        { name: 'ACME Analytics (https://analytics.example.com/sse)', reason: IMPORT_REASONS.sse },
        { name: 'ACME Analytics (https://{tenant_id}.example.com/mcp)', reason: IMPORT_REASONS.variables },
        { name: 'ACME Analytics (npm @acme/analytics-mcp)', reason: IMPORT_REASONS.stdio },
        { name: 'ACME Analytics (oci docker.io/acme/analytics)', reason: IMPORT_REASONS.localHttp },
      ]);
      expect(IMPORT_REASONS.stdio).toBe('runs as a local program over stdio; a browser cannot start programs');
    });

    it('notes a remote whose headers it leaves behind, and carries no header, variable or environment', () => {
      const out = parseAnyServerList(json(doc));
      expect(out.notes).toEqual([{ name: 'ACME Analytics (https://keyed.example.com/mcp)', reason: IMPORT_REASONS.headers }]);
      expect(IMPORT_REASONS.headers).toMatch(/not carried.*OAuth/);
      expect(JSON.stringify(out.servers)).not.toMatch(/api_key|X-API-Key|ACME_TOKEN|headers|env/i);
    });

    it('falls back to the name without a title, and cuts a long title to 80 characters', () => {
      const out = parseAnyServerList(json({ name: 'io.github.me/tool', remotes: [{ type: 'streamable-http', url: 'https://t.example/mcp' }] }));
      expect(out.servers).toEqual([{ serverUrl: 'https://t.example/mcp', name: 'io.github.me/tool', keepSignedIn: false }]);
      const long = parseAnyServerList(json({ name: 'n', title: 'T'.repeat(120), remotes: [{ type: 'streamable-http', url: 'https://t.example/mcp' }] }));
      expect(long.servers[0]!.name).toBe('T'.repeat(80));
    });

    it('reads the registry API\'s { server } and { servers: [{ server }] } answers', () => {
      const one = { name: 'a/b', remotes: [{ type: 'streamable-http', url: 'https://b.example/mcp' }] };
      expect(parseAnyServerList(json({ server: one, _meta: {} })).servers.map((s) => s.serverUrl)).toEqual(['https://b.example/mcp']);
      const two = { name: 'a/c', packages: [{ registryType: 'pypi', identifier: 'c-mcp', transport: { type: 'stdio' } }] };
      const out = parseAnyServerList(json({ servers: [{ server: one }, { server: two }], metadata: { count: 2 } }));
      expect(out.format).toBe('server.json');
      expect(out.servers.map((s) => s.serverUrl)).toEqual(['https://b.example/mcp']);
      expect(out.skipped).toEqual([{ name: 'a/c (pypi c-mcp)', reason: IMPORT_REASONS.stdio }]);
    });

    it('returns a package-only server as skipped, not as an error', () => {
      const out = parseAnyServerList(json({ name: 'a/local', packages: [{ registryType: 'npm', identifier: 'x', transport: { type: 'stdio' } }] }));
      expect(out.servers).toEqual([]);
      expect(out.skipped).toHaveLength(1);
    });
  });

  describe('mcpServers configuration', () => {
    const config = {
      mcpServers: {
        remote: { url: 'https://remote.example/mcp' },
        typed: { type: 'streamable-http', url: 'https://typed.example/mcp' },
        vscode: { type: 'http', url: 'https://vscode.example/mcp' },
        keyed: { url: 'https://keyed.example/mcp', headers: { Authorization: 'Bearer sk-live-123' } },
        old: { type: 'sse', url: 'https://old.example/sse' },
        local: { command: 'npx', args: ['-y', '@acme/mcp'], env: { ACME_TOKEN: 'tok-456' } },
        windsurf: { serverUrl: 'https://windsurf.example/mcp' },
        input: { type: 'http', url: 'https://${input:host}/mcp' },
        empty: {},
      },
    };

    it('adds entries with a URL, named by their key', () => {
      const out = parseAnyServerList(json(config));
      expect(out.format).toBe('mcpServers');
      expect(out.servers).toEqual(
        ['remote', 'typed', 'vscode', 'keyed', 'windsurf'].map((name) => ({ serverUrl: `https://${name}.example/mcp`, name, keepSignedIn: false })),
      );
    });

    it('skips sse, stdio commands, unfilled variables and empty entries, each with its reason', () => {
      expect(parseAnyServerList(json(config)).skipped).toEqual([
        { name: 'old', reason: IMPORT_REASONS.sse },
        { name: 'local', reason: IMPORT_REASONS.stdio },
        { name: 'input', reason: IMPORT_REASONS.variables },
        { name: 'empty', reason: IMPORT_REASONS.noUrl },
      ]);
    });

    it('notes headers it leaves behind, and the result carries no header or environment value', () => {
      const out = parseAnyServerList(json(config));
      expect(out.notes).toEqual([{ name: 'keyed', reason: IMPORT_REASONS.headers }]);
      expect(JSON.stringify(out)).not.toMatch(/sk-live-123|tok-456|Bearer|ACME_TOKEN/);
    });

    it('reads VS Code\'s "servers" object, including its stdio type', () => {
      const out = parseAnyServerList(json({ servers: { gh: { type: 'http', url: 'https://api.example.com/mcp/' }, fs: { type: 'stdio', command: 'node', args: ['fs.js'] } }, inputs: [] }));
      expect(out.servers).toEqual([{ serverUrl: 'https://api.example.com/mcp/', name: 'gh', keepSignedIn: false }]);
      expect(out.skipped).toEqual([{ name: 'fs', reason: IMPORT_REASONS.stdio }]);
    });
  });

  it('says what is wrong with a file of the wrong kind', () => {
    expect(() => parseAnyServerList('{oops')).toThrow('The file is not JSON.');
    for (const wrong of ['{"name":"package","version":"1.0.0","dependencies":{}}', '"text"', '42', 'null', '{"servers":[]}', '{"mcpServers":[]}']) {
      expect(() => parseAnyServerList(wrong)).toThrow(/not a server list Keyhole knows/);
    }
    expect(() => parseAnyServerList('{"mcpServers":{}}')).toThrow('The file lists no servers.');
    expect(() => parseAnyServerList('{"name":"a/b","remotes":[]}')).toThrow('The file lists no servers.');
    expect(() => parseAnyServerList('{"format":"keyhole-servers","version":3,"servers":[]}')).toThrow(/version 3/);
  });
});
