// A real OpenID Connect provider for the sign-in tests (npm oidc-provider 9.x): the council's
// provider for staff, and a GOV.UK One Login stand-in for families. Either client, or both.
//
//   node tests/oidc/provider.mjs --port 4010 --issuer http://127.0.0.1:4010 \
//     --client-id portal --client-secret s3cret --redirect-uri http://localhost/staff/sign-in/callback \
//     --one-login-client-id family-portal --one-login-public-key portal-public.pem \
//     --one-login-redirect-uri http://localhost/one-login/callback
//
// Each option may instead come from the environment: OIDC_PORT, OIDC_ISSUER, OIDC_CLIENT_ID,
// OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_ONE_LOGIN_CLIENT_ID, OIDC_ONE_LOGIN_PUBLIC_KEY,
// OIDC_ONE_LOGIN_REDIRECT_URI. Prints one "ready" line on stdout when listening; warnings go to
// stderr.
//
// Staff: sign-in is a form that takes a user id (and, for tests, groups that replace the user's
// groups from that sign-in on, as if the directory had changed). The user's amr is the login
// result's amr, which the provider keeps in its session and copies into the ID token; amr and
// groups are claims of the "openid" scope, so both are in the ID token; email and name only in
// userinfo.
//
// One Login: the client authenticates at the token endpoint with private_key_jwt only; its jwks
// holds the public key in the --one-login-public-key PEM file, so only an assertion signed with
// the matching private key gets a token. PKCE is required of every client. The portal asks for a
// level with One Login's `vtr` parameter (a JSON array, default ["Cl.Cm"]); the login reaches the
// first requested level the citizen can reach, or the citizen's best if that is lower. The level
// reached is kept as the login's acr, which the provider carries from the login to the
// authorisation code, and the ID token names it `vot`, as One Login does. email and
// email_verified are only in userinfo, as at One Login.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import Provider, { errors } from 'oidc-provider';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.OIDC_PORT },
    issuer: { type: 'string', default: process.env.OIDC_ISSUER },
    'client-id': { type: 'string', default: process.env.OIDC_CLIENT_ID },
    'client-secret': { type: 'string', default: process.env.OIDC_CLIENT_SECRET },
    'redirect-uri': { type: 'string', default: process.env.OIDC_REDIRECT_URI },
    'one-login-client-id': { type: 'string', default: process.env.OIDC_ONE_LOGIN_CLIENT_ID },
    'one-login-public-key': { type: 'string', default: process.env.OIDC_ONE_LOGIN_PUBLIC_KEY },
    'one-login-redirect-uri': { type: 'string', default: process.env.OIDC_ONE_LOGIN_REDIRECT_URI },
  },
});

function required(...names) {
  for (const name of names) {
    if (!options[name]) throw new Error(`missing --${name}`);
  }
}

function wanted(...names) {
  if (!names.some((name) => options[name])) return false;
  required(...names);
  return true;
}

required('port', 'issuer');
const staffClient = wanted('client-id', 'client-secret', 'redirect-uri')
  && options['client-id'];
const oneLoginClient = wanted('one-login-client-id', 'one-login-public-key', 'one-login-redirect-uri')
  && options['one-login-client-id'];
if (!staffClient && !oneLoginClient) throw new Error('give the staff client, the One Login client, or both');

const USERS = {
  officer: { name: 'Olu Officer', groups: ['dpo-officers'], amr: ['pwd', 'mfa'] },
  admin: { name: 'Ada Admin', groups: ['portal-admins'], amr: ['pwd', 'mfa'] },
  'no-mfa': { name: 'Nia Nomfa', groups: ['dpo-officers'], amr: ['pwd'] },
  stranger: { name: 'Sol Stranger', groups: ['finance'], amr: ['pwd', 'mfa'] },
  // Has the email address of the demo DPO officer's password account.
  clash: { name: 'Cal Clash', groups: ['dpo-officers'], amr: ['pwd', 'mfa'], email: 'dpo.officer@example.com' },
};
const groupsNow = new Map();

// One Login's citizens, by login id. `levels`: the credential levels each can reach, weakest first.
const SUBJECT_PREFIX = 'urn:fdc:gov.uk:2022:';
const BOTH = ['Cl', 'Cl.Cm'];
const CITIZENS = {
  morgan: { email: 'morgan.one@example.com', emailVerified: true, levels: BOTH },
  riley: { email: 'riley.one@example.com', emailVerified: true, levels: BOTH },
  unverified: { email: 'unverified.one@example.com', emailVerified: false, levels: BOTH },
  'password-only': { email: 'password.only@example.com', emailVerified: true, levels: ['Cl'] },
  // Has the email address of the demo parent's password account.
  'sam-email': { email: 'sam.rivers@example.com', emailVerified: true, levels: BOTH },
};

function citizenOf(accountId) {
  if (!accountId.startsWith(SUBJECT_PREFIX)) return undefined;
  const login = accountId.slice(SUBJECT_PREFIX.length);
  return Object.hasOwn(CITIZENS, login) ? CITIZENS[login] : undefined;
}

function requestedLevels(vtr) {
  if (vtr === undefined) return ['Cl.Cm'];
  let levels;
  try {
    levels = JSON.parse(vtr);
  } catch {
    levels = undefined;
  }
  if (!Array.isArray(levels) || !levels.length || !levels.every((l) => typeof l === 'string')) {
    throw new errors.InvalidRequest('vtr must be a JSON array of vectors of trust');
  }
  return levels;
}

function levelReached(citizen, vtr) {
  const met = requestedLevels(vtr).find((level) => citizen.levels.includes(level));
  return met ?? citizen.levels.at(-1);
}

function staffAccount(id) {
  const user = USERS[id];
  return {
    accountId: id,
    async claims() {
      const email = user.email ?? `${id}@council.example`;
      const groups = groupsNow.get(id) ?? user.groups;
      return { sub: id, email, email_verified: true, name: user.name, groups };
    },
  };
}

function citizenAccount(ctx, id, citizen) {
  return {
    accountId: id,
    async claims(use) {
      const claims = { sub: id, email: citizen.email, email_verified: citizen.emailVerified };
      if (use !== 'id_token') return claims;
      return { ...claims, vot: ctx.oidc.entities.AuthorizationCode?.acr };
    },
  };
}

function jwksOf(pemFile) {
  const key = createPublicKey(readFileSync(pemFile));
  return { keys: [{ ...key.export({ format: 'jwk' }), use: 'sig' }] };
}

const clients = [];
if (staffClient) {
  clients.push({
    client_id: options['client-id'],
    client_secret: options['client-secret'],
    redirect_uris: [options['redirect-uri']],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  });
}
if (oneLoginClient) {
  clients.push({
    client_id: options['one-login-client-id'],
    redirect_uris: [options['one-login-redirect-uri']],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: jwksOf(options['one-login-public-key']),
  });
}

const provider = new Provider(options.issuer, {
  clients,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['test-only-cookie-key'] },
  extraParams: {
    vtr(ctx, value) {
      if (value !== undefined) requestedLevels(value);
    },
  },
  // amr comes from the login (below); listing it under "openid" puts it in every ID token,
  // as Entra ID does, without the portal asking for it with a claims parameter. So does vot.
  claims: {
    openid: ['sub', 'groups', 'amr', 'vot'], email: ['email', 'email_verified'], profile: ['name'],
  },
  async findAccount(ctx, id) {
    if (Object.hasOwn(USERS, id)) return staffAccount(id);
    const citizen = citizenOf(id);
    return citizen && citizenAccount(ctx, id, citizen);
  },
  // The council's own portal: consent is the organisation's, as with admin consent in Entra ID.
  // One Login asks for no consent to the basic scopes either.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (uid, lang, problem = '') => `<!doctype html><html lang="${escape(lang)}"><title>Sign in</title>
<h1>Sign in (test provider)</h1><p>${escape(problem)}</p>
<form method="post" action="/interaction/${uid}">
<label>User id <input name="login" autofocus></label>
<label>Groups, comma-separated (optional) <input name="groups"></label>
<button name="action" value="sign-in">Sign in</button>
<button name="action" value="cancel">Cancel</button></form></html>`;

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function finish(ctx, result) {
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission: false,
  });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

function staffLogin(id, form) {
  if (!Object.hasOwn(USERS, id)) return undefined;
  const groups = form.get('groups');
  groupsNow.set(id, groups ? groups.split(',').map((group) => group.trim()) : USERS[id].groups);
  return { login: { accountId: id, amr: USERS[id].amr } };
}

function citizenLogin(id, params) {
  const accountId = `${SUBJECT_PREFIX}${id}`;
  const citizen = citizenOf(accountId);
  if (!citizen) return undefined;
  const level = levelReached(citizen, params.vtr);
  return { login: { accountId, acr: level, amr: level === 'Cl' ? ['pwd'] : ['pwd', 'otp'] } };
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (!match) return next();
  ctx.set('cache-control', 'no-store');
  const { uid, params } = await provider.interactionDetails(ctx.req, ctx.res);
  const lang = params.ui_locales === 'cy' ? 'cy' : 'en';
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = page(uid, lang);
    return undefined;
  }
  const form = await readForm(ctx.req);
  if (form.get('action') === 'cancel') {
    return finish(ctx, { error: 'access_denied', error_description: 'End-User aborted interaction' });
  }
  const id = form.get('login') ?? '';
  const result = params.client_id === oneLoginClient ? citizenLogin(id, params) : staffLogin(id, form);
  if (!result) {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = page(uid, lang, 'No such user');
    return undefined;
  }
  return finish(ctx, result);
});

provider.listen(Number(options.port), '127.0.0.1', () => {
  console.log(`oidc-provider ready at ${options.issuer}`);
});
