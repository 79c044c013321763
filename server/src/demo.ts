import { randomBytes } from 'node:crypto';
import type { AppContext } from './context.js';
import { hashPassword } from './auth/passwords.js';
import { newId, nowIso } from './ids.js';
import { findOrCreateOrganisation } from './domain/organisations.js';
import { createCharter } from './domain/charters.js';
import { addMember } from './domain/members.js';
import { recordAudit } from './domain/audit.js';

/** Organisations from the regional forums Charter was designed with. */
const ORGANISATIONS = [
  { name: 'Awareness Against Human Trafficking', acronym: 'HAART', country: 'KE' },
  { name: 'Platform for Labour Action', acronym: 'PLA', country: 'UG' },
  { name: 'Organization for Prevention, Rehabilitation and Integration of Female Street Children', acronym: 'OPRIFS', country: 'ET' },
  { name: 'Chab Dai Coalition', acronym: 'Chab Dai', country: 'KH' },
  { name: 'MAP Foundation', acronym: 'MAP', country: 'TH' },
];

const PEOPLE = [
  { key: 'secretariat', name: 'Amina Secretariat', email: 'secretariat@demo.charter', org: 0, role: 'secretariat' as const, section: null },
  { key: 'cases', name: 'Joseph Okello', email: 'case-management@demo.charter', org: 1, role: 'drafter' as const, section: 'case-management' },
  { key: 'shelters', name: 'Selam Tesfaye', email: 'shelters@demo.charter', org: 2, role: 'drafter' as const, section: 'shelters' },
  { key: 'justice', name: 'Sopheak Chan', email: 'access-to-justice@demo.charter', org: 3, role: 'drafter' as const, section: 'access-to-justice' },
  { key: 'observer', name: 'Nok Srisuk', email: 'observer@demo.charter', org: 4, role: 'observer' as const, section: null },
];

/**
 * Seeds a realistic forum: five accounts from member organisations, the principles-of-practice
 * charter with one drafter per working group. Each run sets fresh passwords and prints them;
 * the charter is created only once.
 */
export async function seedDemo(ctx: AppContext, url: string): Promise<void> {
  const { q } = ctx.store;
  const credentials: { email: string; password: string; role: string }[] = [];
  const users = [];
  for (const person of PEOPLE) {
    const password = randomBytes(9).toString('base64url');
    const hash = await hashPassword(password);
    const user = ctx.store.tx(() => {
      const org = findOrCreateOrganisation(ctx.store, ORGANISATIONS[person.org]!);
      const existing = q.users.byEmail(person.email);
      if (existing) {
        q.users.setPassword(hash, existing.id);
        return existing;
      }
      const row = { id: newId(), email: person.email, name: person.name, password_hash: hash, organisation_id: org.id, created_at: nowIso() };
      q.users.insert(row);
      return row;
    });
    users.push({ person, user });
    credentials.push({ email: person.email, password, role: person.section ? `${person.role} (${person.section})` : person.role });
  }

  const secretariat = users[0]!.user;
  let charter = q.charters.forUser(secretariat.id).find((c) => c.template_id === 'principles-of-practice');
  if (!charter) {
    const created = createCharter(ctx, secretariat, {
      title: 'Regional principles of practice on assistance to survivors of trafficking',
      description:
        'Principles of practice drafted by the case management, shelters and access to justice working groups of the regional CSO forum.',
      templateId: 'principles-of-practice',
    });
    for (const { person, user } of users.slice(1)) {
      const sectionIds = person.section ? created.sections.filter((s) => s.key === person.section).map((s) => s.id) : [];
      addMember(ctx, secretariat, created.id, { email: user.email, role: person.role, sectionIds }, url);
    }
    recordAudit(ctx.store, created.id, secretariat, 'demo.seeded', created.title);
    charter = q.charters.byId(created.id) as typeof charter;
  }

  const lines = [
    '',
    'Demo forum ready. Sign in with any of these accounts (passwords change on every --demo run):',
    '',
    ...credentials.map((c) => `  ${c.email.padEnd(34)} ${c.password.padEnd(14)} ${c.role}`),
    '',
    `  Charter: ${url}/charters/${charter!.id}`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
