// 7. DPoP: the cost of DPoP proofs per request and at the token endpoint. Not built yet; the lead
// fills this in when DPoP lands.
export const DPOP_PLACEHOLDER = 'not measured yet: DPoP lands with its issue';

export async function measureDpop() {
  return { measured: false, note: DPOP_PLACEHOLDER };
}
