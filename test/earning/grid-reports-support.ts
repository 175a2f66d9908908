// Shared helpers for the grid report suites (not a test file itself): multipart uploads through
// the app, binary downloads, and row counts to prove a refusal stored nothing.

import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { queryOne, type Db } from '../../db/client';
import type { TestApp } from '../support/app';
import { png, reportForm } from './photos-fixtures';

/** Shenzhen, Futian: where the reports in these suites are filed unless a test moves. */
export const HERE = { lat: '22.543096', lng: '114.057865' };

/** Mean Earth radius the API measures with (metres), to place points a known distance away. */
const R = 6_371_008.8;
const deg = (rad: number) => (rad * 180) / Math.PI;

/** A point `meters` north of (lat, lng), to 6 decimals. */
export function north(from: { lat: string; lng: string }, meters: number) {
  return { lat: (Number(from.lat) + deg(meters / R)).toFixed(6), lng: from.lng };
}

/** A point `meters` east of (lat, lng), to 6 decimals. */
export function east(from: { lat: string; lng: string }, meters: number) {
  return { lat: from.lat, lng: (Number(from.lng) + deg(meters / R) / Math.cos((Number(from.lat) * Math.PI) / 180)).toFixed(6) };
}

/** Haversine distance in metres, the same formula the API's SQL uses. */
export function distance(a: { lat: string; lng: string }, b: { lat: string; lng: string }) {
  const rad = (d: string) => (Number(d) * Math.PI) / 180;
  const dLat = rad(b.lat) - rad(a.lat);
  const dLng = rad(b.lng) - rad(a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

async function answer(res: Response) {
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** POST a multipart form (FormData sets its own content-type with the boundary). */
export async function postForm(t: TestApp, path: string, form: FormData, token?: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(path, { method: 'POST', body: form, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  return answer(res);
}

export interface FileOptions {
  lat?: string;
  lng?: string;
  category?: string;
  note?: string;
  photo?: { bytes: Uint8Array; name?: string; type?: string };
  idempotencyKey?: string;
}

/** Files a grid report as `token`'s driver. */
export function fileReport(t: TestApp, token: string, o: FileOptions = {}) {
  const form = reportForm(
    { lat: o.lat ?? HERE.lat, lng: o.lng ?? HERE.lng, category: o.category ?? 'pothole', ...(o.note !== undefined ? { note: o.note } : {}) },
    o.photo ?? { bytes: png() },
  );
  return postForm(t, '/api/grid-reports', form, token, o.idempotencyKey ? { 'idempotency-key': o.idempotencyKey } : {});
}

/** Files a report that must succeed; returns its JSON. */
export async function filed(t: TestApp, token: string, o: FileOptions = {}) {
  const res = await fileReport(t, token, o);
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; photoId: string; photoUrl: string; status: string; likelyDuplicateOf: string | null } & Record<string, any>;
}

/** GET as raw bytes (photos). */
export async function getBytes(t: TestApp, path: string, token?: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(path, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

export function transition(t: TestApp, token: string, id: string, body: Record<string, unknown>) {
  return t.call('POST', `/api/grid-reports/${id}/transition`, { token, body });
}

const count = async (db: Db, table: string) => Number((await queryOne<{ n: string }>(db, sql.raw(`select count(*)::text as n from ${table}`)))!.n);

/** Rows in the tables a report touches: a refused upload must leave every one unchanged. */
export async function storedCounts(db: Db) {
  return {
    photos: await count(db, 'photos'),
    reports: await count(db, 'grid_reports'),
    events: await count(db, 'grid_report_events'),
    earnings: await count(db, 'earnings'),
  };
}
