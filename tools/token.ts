import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, ROLES, isRole, signDevToken, type Role } from '@servicecenter/platform-auth';

/**
 * `npm run token -- --role <role> [--role <role>] [--customer <id>] [--sub <id>] [--name <name>]`
 * prints a development bearer token signed with JWT_SECRET (or the development secret).
 */
async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      customer: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const roles = values.role ?? [];
  const bad = roles.filter((r) => !isRole(r));
  if (roles.length === 0 || bad.length > 0) {
    console.error(
      `${bad.length ? `Unknown role(s): ${bad.join(', ')}. ` : ''}Give --role, one of:\n  ${ROLES.join('\n  ')}`,
    );
    process.exit(1);
  }
  if (roles.includes('customer') && !values.customer) {
    console.error('A customer token needs --customer <customer organisation id>');
    process.exit(1);
  }
  const token = await signDevToken(process.env.JWT_SECRET || DEV_JWT_SECRET, {
    sub: values.sub ?? `dev-${roles[0]}`,
    name: values.name,
    roles: roles as Role[],
    customerId: values.customer,
    expiresIn: values.expires,
  });
  console.log(token);
}

void main();
