/**
 * Lambda entry points of the authorization server for interactive sign-in (handlers/oauth), bundled
 * as their own file (`dist/lambda/oauth.mjs`) so the MCP function's `index.mjs` neither grows nor
 * loads any of it:
 *
 * - `frontHandler` (image command `oauth.frontHandler`): discovery (RFC 8414, OpenID), JWKS,
 *   `/authorize`, `/register` (RFC 7591) and the consent form;
 * - `tokenHandler` (image command `oauth.tokenHandler`): the upstream callback, `/token` and
 *   `/revoke` (RFC 7009); the only function holding the upstream client secret and `kms:Sign`.
 *
 * The configured entry (Lambda's `_HANDLER`, `oauth.<export>`) is built during the init phase, so an
 * invalid `OAUTH_*` environment fails the init phase with a message naming each variable; the other
 * entry is built only if it is ever called.
 */
import { createOAuthLambdaHandler } from "../../../handlers/oauth/src/lambda.js";
import { once } from "../aws.js";
import type { HttpApiHandler } from "./adapter.js";

const frontEntry = once(() => createOAuthLambdaHandler("front"));
const tokenEntry = once(() => createOAuthLambdaHandler("token"));
const configured = process.env._HANDLER?.split(".").pop();
if (configured === "frontHandler") await frontEntry();
else if (configured === "tokenHandler") await tokenEntry();

/** The authorization server's front function: payload 2.0 event in, structured result out. */
export const frontHandler: HttpApiHandler = async (event, context) => (await frontEntry())(event, context);

/** The authorization server's token function: payload 2.0 event in, structured result out. */
export const tokenHandler: HttpApiHandler = async (event, context) => (await tokenEntry())(event, context);
