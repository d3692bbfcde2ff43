/** Authorization of one AppId, checked by the field that would read its data. */
import { ForbiddenError } from '../errors/forbidden-error.js';
import type { Principal } from './principal.js';

/** Throws ForbiddenError unless `principal` may read `appId`; call it before any upstream work for it. */
export function authorizeAppId(principal: Principal, appId: string): void {
  if (!principal.canRead(appId)) throw new ForbiddenError(appId, principal.name);
}
