// The demo authorization server's storage: oidc-provider's adapter interface over in-memory maps,
// one store per server instance (auth-server.mjs).

/**
 * Per-instance in-memory storage adapter for oidc-provider.
 * (The built-in one is a module-wide 1000-entry LRU shared by every Provider in
 * the process and logs a warning; tests start several servers.)
 * @param {number} slack seconds kept past expiry (oidc-provider checks `exp` itself)
 */
export function createMemoryAdapter(slack) {
  /** @type {Map<string, { payload: any, expiresAt: number }>} */
  const store = new Map();
  /** @type {Map<string, Set<string>>} grantId -> storage keys */
  const byGrant = new Map();
  /** @type {Map<string, string>} session uid -> session id */
  const byUid = new Map();
  /** @type {Map<string, string>} user code -> device code id */
  const byUserCode = new Map();
  let writes = 0;

  function sweep() {
    const now = Date.now();
    for (const [key, entry] of store) if (entry.expiresAt <= now) store.delete(key);
    for (const [grantId, keys] of byGrant) {
      for (const key of keys) if (!store.has(key)) keys.delete(key);
      if (!keys.size) byGrant.delete(grantId);
    }
  }

  /** @param {string} key */
  function get(key) {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  return class MemoryAdapter {
    /** @param {string} model */
    constructor(model) {
      this.model = model;
    }

    /** @param {string} id */
    key(id) {
      return `${this.model}:${id}`;
    }

    /** @param {string} id @param {any} payload @param {number} [expiresIn] */
    async upsert(id, payload, expiresIn) {
      if (++writes % 500 === 0) sweep();
      const key = this.key(id);
      const expiresAt = typeof expiresIn === 'number' ? Date.now() + (expiresIn + slack) * 1000 : Infinity;
      store.set(key, { payload: { ...payload }, expiresAt });
      if (payload.grantId) {
        let keys = byGrant.get(payload.grantId);
        if (!keys) byGrant.set(payload.grantId, (keys = new Set()));
        keys.add(key);
      }
      if (this.model === 'Session' && payload.uid) byUid.set(payload.uid, id);
      if (payload.userCode) byUserCode.set(payload.userCode, id);
    }

    /** @param {string} id */
    async find(id) {
      return get(this.key(id));
    }

    /** @param {string} uid */
    async findByUid(uid) {
      const id = byUid.get(uid);
      return id === undefined ? undefined : this.find(id);
    }

    /** @param {string} userCode */
    async findByUserCode(userCode) {
      const id = byUserCode.get(userCode);
      return id === undefined ? undefined : this.find(id);
    }

    /** @param {string} id */
    async consume(id) {
      const payload = get(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }

    /** @param {string} id */
    async destroy(id) {
      const key = this.key(id);
      const payload = get(key);
      store.delete(key);
      if (payload?.uid && byUid.get(payload.uid) === id) byUid.delete(payload.uid);
      if (payload?.userCode) byUserCode.delete(payload.userCode);
    }

    /** Remove this model's entries that belong to a grant. @param {string} grantId */
    async revokeByGrantId(grantId) {
      const keys = byGrant.get(grantId);
      if (!keys) return;
      const prefix = `${this.model}:`;
      for (const key of keys) {
        if (key.startsWith(prefix)) {
          store.delete(key);
          keys.delete(key);
        }
      }
      if (!keys.size) byGrant.delete(grantId);
    }
  };
}
