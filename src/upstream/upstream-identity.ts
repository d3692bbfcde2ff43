/**
 * Whose data a fetched slot is. The same AppId, room and user can mean different data (or none at all) to two
 * Volcengine accounts, and to the real API and a simulator, so everything kept where other processes read it
 * (Redis, an archive) is keyed by the upstream identity as well as by app, room, user, direction and slot.
 */
import { createHash } from 'node:crypto';

/**
 * A short, stable stand-in for an access key id: the first 64 bits of its SHA-256, in hex. Shared stores are
 * keyed by the account without ever holding its id (let alone its secret); 64 bits keep two accounts on one
 * Redis apart with a margin no deployment can exhaust.
 */
export function accessKeyHash(accessKeyId: string): string {
  return createHash('sha256').update(accessKeyId).digest('hex').slice(0, 16);
}

/**
 * The upstream identity: the endpoint's origin and the access key's hash, as a JSON array, e.g.
 * `["https://rtc.volcengineapi.com","1b4f0e9851971998"]`. Two gateways get the same identity exactly when they
 * sign with the same access key for the same endpoint, i.e. when they would be answered the same data.
 * The origin drops a path, query and user info (a proxy's password never reaches a key) and spells the host
 * one way, so `https://Host/` and `https://host` are one upstream. JSON keeps the parts unambiguous.
 */
export function upstreamIdentity(endpoint: string, accessKeyId: string): string {
  return JSON.stringify([new URL(endpoint).origin, accessKeyHash(accessKeyId)]);
}
