// A real OpenID Connect provider for the staff sign-in tests (npm oidc-provider 9.x).
//
//   node tests/oidc/provider.mjs --port 4010 --issuer http://127.0.0.1:4010 \
//     --client-id portal --client-secret s3cret --redirect-uri http://localhost/staff/sign-in/callback
//
// Each option may instead come from the environment: OIDC_PORT, OIDC_ISSUER, OIDC_CLIENT_ID,
// OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI. Prints one "ready" line on stdout when listening;
// warnings go to stderr.
//
// Sign-in is a form that takes a user id (and, for tests, groups that replace the user's groups
// from that sign-in on, as if the directory had changed). The user's amr is the login result's
// amr, which the provider keeps in its session and copies into the ID token; amr and groups are
// claims of the "openid" scope, so both are in the ID token; email and name only in userinfo.
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.OIDC_PORT },
    issuer: { type: 'string', default: process.env.OIDC_ISSUER },
    'client-id': { type: 'string', default: process.env.OIDC_CLIENT_ID },
    'client-secret': { type: 'string', default: process.env.OIDC_CLIENT_SECRET },
    'redirect-uri': { type: 'string', default: process.env.OIDC_REDIRECT_URI },
  },
});
for (const [name, value] of Object.entries(options)) {
  if (!value) throw new Error(`missing --${name}`);
}

const USERS = {
  officer: { name: 'Olu Officer', groups: ['dpo-officers'], amr: ['pwd', 'mfa'] },
  admin: { name: 'Ada Admin', groups: ['portal-admins'], amr: ['pwd', 'mfa'] },
  'no-mfa': { name: 'Nia Nomfa', groups: ['dpo-officers'], amr: ['pwd'] },
  stranger: { name: 'Sol Stranger', groups: ['finance'], amr: ['pwd', 'mfa'] },
  // Has the email address of the demo DPO officer's password account.
  clash: { name: 'Cal Clash', groups: ['dpo-officers'], amr: ['pwd', 'mfa'], email: 'dpo.officer@example.com' },
};
const groupsNow = new Map();

const provider = new Provider(options.issuer, {
  clients: [{
    client_id: options['client-id'],
    client_secret: options['client-secret'],
    redirect_uris: [options['redirect-uri']],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['test-only-cookie-key'] },
  // amr comes from the login (below); listing it under "openid" puts it in every ID token,
  // as Entra ID does, without the portal asking for it with a claims parameter.
  claims: {
    openid: ['sub', 'groups', 'amr'], email: ['email', 'email_verified'], profile: ['name'],
  },
  async findAccount(ctx, id) {
    const user = USERS[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        const email = user.email ?? `${id}@council.example`;
        const groups = groupsNow.get(id) ?? user.groups;
        return { sub: id, email, email_verified: true, name: user.name, groups };
      },
    };
  },
  // The council's own portal: consent is the organisation's, as with admin consent in Entra ID.
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

const page = (uid, problem = '') => `<!doctype html><html lang="en"><title>Sign in</title>
<h1>Council sign-in (test provider)</h1><p>${problem}</p>
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

function loginResult(id, form) {
  const groups = form.get('groups');
  groupsNow.set(id, groups ? groups.split(',').map((group) => group.trim()) : USERS[id].groups);
  return { login: { accountId: id, amr: USERS[id].amr } };
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (!match) return next();
  ctx.set('cache-control', 'no-store');
  const { uid } = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = page(uid);
    return undefined;
  }
  const form = await readForm(ctx.req);
  if (form.get('action') === 'cancel') {
    return finish(ctx, { error: 'access_denied', error_description: 'End-User aborted interaction' });
  }
  if (!Object.hasOwn(USERS, form.get('login') ?? '')) {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = page(uid, 'No such user');
    return undefined;
  }
  return finish(ctx, loginResult(form.get('login'), form));
});

provider.listen(Number(options.port), '127.0.0.1', () => {
  console.log(`oidc-provider ready at ${options.issuer}`);
});
