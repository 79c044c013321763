import { Api, uniqueEmail } from '../helpers/server.js';

export interface SeededCharter {
  secretariat: { api: Api; email: string; token: string };
  charterId: string;
  sections: { id: string; key: string; title: string }[];
  versionId: string;
}

/**
 * A charter from the principles-of-practice template, finalised as version 1, with three
 * organisations signed on (one of them unlisted): the state the public version page shows.
 */
export async function seedFinalisedCharter(baseUrl: string): Promise<SeededCharter> {
  const api = new Api(baseUrl);
  const email = uniqueEmail('secretariat');
  await api.register(email, 'Amina Wanjiru', 'correct horse battery', {
    organisation: { name: 'Awareness Against Human Trafficking', acronym: 'HAART', country: 'KE' },
  });
  const created = await api.post('/api/charters', { title: 'Regional principles of practice', templateId: 'principles-of-practice' });
  if (created.status !== 201) throw new Error(`create: ${created.status}`);
  const charterId = created.body.charter.id as string;
  const finalised = await api.post(`/api/charters/${charterId}/finalise`, { label: 'Agreed at the regional forum' });
  if (finalised.status !== 201) throw new Error(`finalise: ${finalised.status} ${JSON.stringify(finalised.body)}`);
  const versionId = finalised.body.version.id as string;
  const signers = [
    { org: { name: 'Awareness Against Human Trafficking', acronym: 'HAART', country: 'KE' }, who: 'Amina Wanjiru', title: 'Executive Director', listed: true },
    { org: { name: 'Platform for Labour Action', acronym: 'PLA', country: 'UG' }, who: 'Joseph Okello', title: 'Programme Officer', listed: true },
    { org: { name: 'MAP Foundation', acronym: 'MAP', country: 'TH' }, who: 'Nok Srisuk', title: 'Coordinator', listed: false },
  ];
  for (const s of signers) {
    const signer = new Api(baseUrl);
    const signerEmail = uniqueEmail('signer');
    await signer.register(signerEmail, s.who);
    const res = await signer.post(`/api/versions/${versionId}/signons`, {
      organisation: s.org,
      signatory: { name: s.who, title: s.title, email: signerEmail },
      consent: true,
      publicListing: s.listed,
    });
    if (res.status !== 201) throw new Error(`sign on: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { secretariat: { api, email, token: api.token! }, charterId, sections: created.body.charter.sections, versionId };
}
