import { del, get, patch, post, seg } from './client';
import type {
  AuditEvent,
  Charter,
  CreatedInvitation,
  InvitationPreview,
  Member,
  PendingInvitation,
  Role,
  Section,
  Signon,
  SignonList,
  Submission,
  SubmissionStatus,
  TemplateSummary,
  User,
  Version,
  VersionComparison,
  VersionDetail,
} from './types';

/** Typed calls of the public API (shared/API.md), one per route the client uses. */
export const api = {
  me: () => get<{ user: User }>('/api/me'),
  login: (body: { email: string; password: string }) => post<{ user: User; token: string }>('/api/auth/login', body),
  register: (body: {
    email: string;
    password: string;
    name: string;
    organisation?: { name: string; country: string; acronym?: string };
    invitation?: string;
  }) => post<{ user: User; token: string }>('/api/auth/register', body),
  logout: () => post<void>('/api/auth/logout'),

  invitation: (token: string) => get<{ invitation: InvitationPreview }>(`/api/invitations/${seg(token)}`),
  acceptInvitation: (token: string) => post<{ charterId: string; role: Role }>('/api/invitations/accept', { token }),

  templates: () => get<{ templates: TemplateSummary[] }>('/api/templates'),

  charters: () => get<{ charters: Charter[] }>('/api/charters'),
  charter: (id: string) => get<{ charter: Charter }>(`/api/charters/${seg(id)}`),
  createCharter: (body: { title: string; description?: string; templateId?: string | null }) =>
    post<{ charter: Charter }>('/api/charters', body),
  addSection: (charterId: string, body: { title: string }) =>
    post<{ section: Section }>(`/api/charters/${seg(charterId)}/sections`, body),
  updateSection: (charterId: string, sectionId: string, body: { title?: string; position?: number }) =>
    patch<{ section: Section }>(`/api/charters/${seg(charterId)}/sections/${seg(sectionId)}`, body),

  members: (charterId: string) =>
    get<{ members: Member[]; invitations?: PendingInvitation[] }>(`/api/charters/${seg(charterId)}/members`),
  addMember: (charterId: string, body: { email: string; role: Role; sectionIds?: string[] }) =>
    post<{ member?: Member; invitation?: CreatedInvitation }>(`/api/charters/${seg(charterId)}/members`, body),
  updateMember: (charterId: string, userId: string, body: { role?: Role; sectionIds?: string[] }) =>
    patch<{ member: Member }>(`/api/charters/${seg(charterId)}/members/${seg(userId)}`, body),
  removeMember: (charterId: string, userId: string) => del<void>(`/api/charters/${seg(charterId)}/members/${seg(userId)}`),
  revokeInvitation: (charterId: string, invitationId: string) =>
    del<void>(`/api/charters/${seg(charterId)}/invitations/${seg(invitationId)}`),

  finalise: (charterId: string, body: { label?: string }) => post<{ version: Version }>(`/api/charters/${seg(charterId)}/finalise`, body),
  reopen: (charterId: string) => post<{ charter: Charter }>(`/api/charters/${seg(charterId)}/reopen`),
  versions: (charterId: string) => get<{ versions: Version[] }>(`/api/charters/${seg(charterId)}/versions`),
  version: (versionId: string) => get<VersionDetail>(`/api/versions/${seg(versionId)}`),
  verifyVersion: (versionId: string) => get<{ ok: boolean; sha256: string }>(`/api/versions/${seg(versionId)}/verify`),
  compareVersions: (fromId: string, toId: string) =>
    get<VersionComparison>(`/api/versions/${seg(fromId)}/compare/${seg(toId)}`),

  signons: (versionId: string) => get<SignonList>(`/api/versions/${seg(versionId)}/signons`),
  mySignons: (versionId: string) => get<{ signons: Signon[] }>(`/api/versions/${seg(versionId)}/signons/mine`),
  organisations: (q: string) =>
    get<{ organisations: { name: string; acronym: string; country: string }[] }>(`/api/organisations?q=${encodeURIComponent(q)}&limit=10`),
  signOn: (
    versionId: string,
    body: {
      organisation: { name: string; country: string; acronym?: string };
      signatory: { name: string; title: string; email: string };
      consent: boolean;
      publicListing: boolean;
    },
  ) => post<{ signon: Signon }>(`/api/versions/${seg(versionId)}/signons`, body),
  withdraw: (versionId: string, signonId: string) => del<{ signon: Signon }>(`/api/versions/${seg(versionId)}/signons/${seg(signonId)}`),

  submissions: (charterId: string) => get<{ submissions: Submission[] }>(`/api/charters/${seg(charterId)}/submissions`),
  recordSubmission: (versionId: string, body: { recipient: string; reference?: string; submittedAt?: string; notes?: string }) =>
    post<{ submission: Submission }>(`/api/versions/${seg(versionId)}/submissions`, body),
  updateSubmission: (submissionId: string, body: { status?: SubmissionStatus; notes?: string }) =>
    patch<{ submission: Submission }>(`/api/submissions/${seg(submissionId)}`, body),

  audit: (charterId: string, action?: string) =>
    get<{ events: AuditEvent[] }>(`/api/charters/${seg(charterId)}/audit${action ? `?action=${encodeURIComponent(action)}` : ''}`),
};

export const urls = {
  versionDocx: (versionId: string) => `/api/versions/${seg(versionId)}/export.docx`,
  signonsCsv: (versionId: string) => `/api/versions/${seg(versionId)}/signons.csv`,
  submissionDocx: (submissionId: string) => `/api/submissions/${seg(submissionId)}/document.docx`,
};
