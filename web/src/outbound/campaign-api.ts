/** The outbound API (docs/api-outbound.md) as the web app calls it. */
import { get, post, postText, query } from '../api/client';
import type { Campaign, CampaignInput, CampaignListResult, ImportJob } from '../api/types';

const cid = (id: number) => encodeURIComponent(String(id));

export const listCampaigns = () => get<CampaignListResult>('/campaigns');

export const getCampaign = (id: number) => get<Campaign>(`/campaigns/${cid(id)}`);

export const createCampaign = (input: CampaignInput) => post<Campaign>('/campaigns', input);

export type CampaignAction = 'start' | 'pause' | 'stop';

export const campaignAction = (id: number, action: CampaignAction) =>
  post<Campaign>(`/campaigns/${cid(id)}/${action}`);

export const joinCampaign = (id: number) => post(`/campaigns/${cid(id)}/join`);

export const leaveCampaign = (id: number) => post(`/campaigns/${cid(id)}/leave`);

/** Preview: ring the agent, then the contact. */
export const dialContact = (contactId: number) =>
  post<{ callId: string }>(`/contacts/${cid(contactId)}/dial`);

export const skipContact = (contactId: number) => post(`/contacts/${cid(contactId)}/skip`);

/** Which CSV column holds each field; unmapped columns are kept as custom fields. */
export interface ImportMapping {
  phone: string;
  firstName?: string;
}

/** A CSV list sent as `text/csv`; parsing runs on the server, polled with getImport(). */
export function importContacts(
  campaignId: number,
  csv: string,
  mapping: ImportMapping,
  assignColumn?: string,
) {
  const q = query({
    mapping: JSON.stringify(mapping),
    assignTo: assignColumn ? JSON.stringify({ column: assignColumn }) : undefined,
  });
  return postText<{ importId: number }>(
    `/campaigns/${cid(campaignId)}/imports${q}`,
    csv,
    'text/csv',
  );
}

export const getImport = (importId: number, offset = 0) =>
  get<ImportJob>(`/imports/${cid(importId)}${query({ offset: offset || undefined })}`);
