import { randomBytes, randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type GridCategory, type ReportStatus, type SafetyKind, type SafetySeverity } from '../db/schema/index';
import { hashPassword } from './auth/passwords';
import type { Clock } from './clock';
import { fileAppeal } from './earning/appeals';
import { grantAward } from './earning/awards';
import { localDate, localMidnight } from './earning/earn';
import { fileReport, transitionReport } from './earning/grid-reports';
import { evaluateMilestones } from './earning/milestones';
import { recordSafetyEvents, type SafetyEventInput } from './earning/safety';
import { approveClaim, rejectClaim, submitClaim } from './earning/volunteering';
import { startImport } from './earning/volunteering.import';
import type { SessionUser } from './http/env';
import { openAccount, PROGRAMME_ACCOUNTS, walletOf } from './ledger/accounts';
import { createLedger } from './ledger/ledger';
import { regradeAll } from './rating/engine';
import { demoJpeg, demoPng } from './seed-images';

/**
 * The demo programme's past: about fourteen months of volunteering (monthly attendance imports
 * and drivers' own claims), grid reports, safety records, one instant award and one open appeal
 * for the three demo drivers and twenty more, played in time order through the same domain
 * functions the API calls, each with a clock set to when it happened. Once a month of that past
 * the daily jobs run too (safety milestones, then a full rating re-grade), so milestones are
 * paid, earnings carry the grade of their day and the rating history moves as it would have;
 * they run once more as of `now` at the end. Everything is dated relative to `now` and lies
 * before it; the story is the same whatever `now` is (a fixed random seed picks the details).
 *
 * The demo drivers end up AAA (13900000001: no violation for 400 days, 20+ hours, five verified
 * reports), AA (13900000002: a minor violation 20 days ago breaks his streak; upholding his open
 * appeal against it makes him AAA) and B (13900000003: a major violation and an at-fault
 * accident, yet the most points: a grade is earned, never bought).
 */

const DAY = 86_400_000;

/** A demo driver created by the caller (with a printed login), and the balance they start with. */
export interface DemoDriver {
  id: string;
  phone: string;
  openingBalance: string;
}

type SafetyRecord = [daysAgo: number, kind: SafetyKind, severity: SafetySeverity | null, note: string];

interface DriverSpec {
  name: string;
  phone: string;
  /** Extra drivers only; the demo drivers' plates are set where they are created (api/seed.ts). */
  plate?: string;
  /** Days ago they joined the programme (their violation-free streak starts then). */
  joined: number;
  /** How likely they turn up at each organised volunteering event (two a month), 0 to 1. */
  volunteers: number;
  /** Routine grid reports (verified, forwarded, resolved, closed), spread from joining to three weeks ago. */
  reports: number;
  /** A passed annual inspection a month after joining (and a year after that, when it has come). */
  inspections?: boolean;
  safety?: SafetyRecord[];
}

/** The three demo drivers' routine past; their notable moments (appeal, award, queues) are written in `seedHistory`. */
const demoSpecs: DriverSpec[] = [
  {
    name: '王建国 Wang Jianguo',
    phone: '13900000001',
    joined: 425,
    volunteers: 0.3,
    reports: 3,
    inspections: true,
    safety: [[400, 'violation', 'minor', '超速 Speeding, under 10 % over the limit (Guangshen Highway camera)']],
  },
  {
    name: '李师傅 Li Ming',
    phone: '13900000002',
    joined: 425,
    volunteers: 0.3,
    reports: 2,
    inspections: true,
    safety: [[20, 'violation', 'minor', '违规变道 Lane change without signalling (Baoan Avenue / Xixiang Avenue camera)']],
  },
  {
    name: '张伟 Zhang Wei',
    phone: '13900000003',
    joined: 425,
    volunteers: 0.2,
    reports: 1,
    safety: [
      [330, 'inspection_passed', null, '年度安全检查合格 Annual roadworthiness inspection passed'],
      [200, 'violation', 'major', '超载 Overloaded by 18 % (Fuyong weigh station)'],
      [95, 'accident', 'at_fault_minor', '追尾 Rear-ended a car at the Nantou toll plaza; no injuries'],
    ],
  },
];

/** Twenty more drivers (no printed login), from model drivers to newcomers with nothing yet. */
const extraSpecs: DriverSpec[] = [
  { name: '陈志强 Chen Zhiqiang', phone: '13900000101', plate: '粤B·35721', joined: 420, volunteers: 0.3, reports: 2, inspections: true },
  { name: '黄海涛 Huang Haitao', phone: '13900000102', plate: '粤B·6K218', joined: 410, volunteers: 0.3, reports: 3, inspections: true },
  {
    name: '谢红梅 Xie Hongmei',
    phone: '13900000103',
    plate: '粤B·80573',
    joined: 400,
    volunteers: 0.35,
    reports: 2,
    safety: [[390, 'violation', 'minor', '未系安全带 Seat belt not fastened (roadside check)']],
  },
  { name: '林志明 Lin Zhiming', phone: '13900000104', plate: '粤B·2M905', joined: 380, volunteers: 0.35, reports: 3 },
  {
    name: '刘洋 Liu Yang',
    phone: '13900000105',
    plate: '粤B·47160',
    joined: 415,
    volunteers: 0.25,
    reports: 1,
    inspections: true,
    safety: [[200, 'violation', 'minor', '超速 Speeding, under 10 % over the limit (Airport Road camera)']],
  },
  {
    name: '赵磊 Zhao Lei',
    phone: '13900000106',
    plate: '粤B·C3390',
    joined: 360,
    volunteers: 0.25,
    reports: 1,
    safety: [[60, 'violation', 'minor', '违规停车 Parked in a no-stopping zone at the port gate']],
  },
  { name: '周国华 Zhou Guohua', phone: '13900000107', plate: '粤B·55208', joined: 420, volunteers: 0.3, reports: 1, inspections: true },
  {
    name: '吴建平 Wu Jianping',
    phone: '13900000108',
    plate: '粤B·91476',
    joined: 300,
    volunteers: 0.25,
    reports: 1,
    safety: [
      [150, 'violation', 'minor', '超速 Speeding, under 10 % over the limit (Nanhai Avenue camera)'],
      [40, 'violation', 'minor', '违规变道 Lane change across a solid line'],
    ],
  },
  {
    name: '徐勇 Xu Yong',
    phone: '13900000109',
    plate: '粤B·D7731',
    joined: 270,
    volunteers: 0.25,
    reports: 1,
    safety: [[100, 'violation', 'minor', '疲劳驾驶提醒 Drove 4 h 20 min without a break (tachograph)']],
  },
  { name: '孙立军 Sun Lijun', phone: '13900000110', plate: '粤B·63085', joined: 250, volunteers: 0.2, reports: 2, inspections: true },
  {
    name: '朱永红 Zhu Yonghong',
    phone: '13900000111',
    plate: '粤B·J2487',
    joined: 240,
    volunteers: 0.15,
    reports: 1,
    safety: [[180, 'violation', 'major', '超载 Overloaded by 22 % (Guangshen Highway weigh station)']],
  },
  { name: '马超 Ma Chao', phone: '13900000112', plate: '粤B·17692', joined: 390, volunteers: 0.12, reports: 0 },
  {
    name: '胡斌 Hu Bin',
    phone: '13900000113',
    plate: '粤B·A8053',
    joined: 330,
    volunteers: 0.15,
    reports: 0,
    inspections: true,
    safety: [[100, 'violation', 'minor', '未按规定车道行驶 Drove in the bus lane']],
  },
  { name: '郭峰 Guo Feng', phone: '13900000114', plate: '粤B·42817', joined: 200, volunteers: 0.12, reports: 1 },
  { name: '何俊 He Jun', phone: '13900000115', plate: '粤B·7F264', joined: 180, volunteers: 0.05, reports: 2 },
  {
    name: '罗刚 Luo Gang',
    phone: '13900000116',
    plate: '粤B·30958',
    joined: 150,
    volunteers: 0.2,
    reports: 1,
    safety: [[30, 'violation', 'minor', '超速 Speeding, under 10 % over the limit (Shahe West Road camera)']],
  },
  { name: '梁文辉 Liang Wenhui', phone: '13900000117', plate: '粤B·86420', joined: 120, volunteers: 0, reports: 1 },
  { name: '宋春生 Song Chunsheng', phone: '13900000118', plate: '粤B·E1357', joined: 60, volunteers: 0.05, reports: 0 },
  {
    name: '郑军 Zheng Jun',
    phone: '13900000119',
    plate: '粤B·59036',
    joined: 350,
    volunteers: 0.15,
    reports: 1,
    inspections: true,
    safety: [
      [170, 'accident', 'at_fault_minor', '刮擦 Scraped a parked van while reversing at the logistics park'],
      [80, 'violation', 'minor', '违规停车 Parked in a no-stopping zone on Fuyong Avenue'],
    ],
  },
  { name: '韩晓东 Han Xiaodong', phone: '13900000120', plate: '粤B·H6602', joined: 30, volunteers: 0, reports: 0 },
];

/** Phones of the extra drivers, for tests. */
export const extraDriverPhones = extraSpecs.map((s) => s.phone);

const events: Array<[event: string, organiser: string]> = [
  ['爱心送考车队 Exam-day convoy', '宝安区交通运输协会 Baoan Transport Association'],
  ['交通安全进校园 Road-safety talk at Xixiang Primary School', '西乡街道办 Xixiang Subdistrict Office'],
  ['台风后道路清障 Post-typhoon road clearing', '宝安区应急管理局 Baoan Emergency Management Bureau'],
  ['社区物资配送 Community supply delivery', '深圳市志愿者联合会 Shenzhen Volunteers Federation'],
  ['春运返乡接送 Spring Festival homecoming shuttle', '深圳市志愿者联合会 Shenzhen Volunteers Federation'],
  ['文明交通劝导 Civic traffic-courtesy campaign', '交警宝安大队 Baoan Traffic Police Brigade'],
  ['爱心助农运输 Farm produce relief haul', '宝安区总工会 Baoan Federation of Trade Unions'],
  ['无偿献血车队 Blood donation drive', '深圳市血液中心 Shenzhen Blood Centre'],
];

const places: Array<{ road: string; lat: number; lng: number }> = [
  { road: '西乡大道 Xixiang Avenue', lat: 22_579_500, lng: 113_870_000 },
  { road: '宝安大道 Baoan Avenue', lat: 22_565_200, lng: 113_889_500 },
  { road: '广深公路 Guangshen Highway', lat: 22_651_000, lng: 113_820_500 },
  { road: '机场南路 Airport South Road', lat: 22_622_800, lng: 113_813_000 },
  { road: '南海大道 Nanhai Avenue', lat: 22_518_000, lng: 113_926_200 },
  { road: '沙河西路 Shahe West Road', lat: 22_547_000, lng: 113_956_000 },
  { road: '蛇口港区 Shekou port gate', lat: 22_486_000, lng: 113_912_500 },
  { road: '福永大道 Fuyong Avenue', lat: 22_674_500, lng: 113_812_000 },
];

const notes: Record<GridCategory, string[]> = {
  pothole: ['坑槽 Pothole about 40 cm across in the right-hand lane', '连续坑洼 A run of potholes over 30 m; trucks brake hard'],
  broken_manhole_cover: ['井盖破裂 Manhole cover cracked and sunk about 5 cm', '井盖缺失 Manhole cover missing; someone put a cone in it'],
  road_collapse: ['路面塌陷 Road surface caved in by the kerb after the rain, about 1 m wide'],
  obstacle: ['货物散落 Fallen cargo (steel pipes) in the middle lane', '故障车 Broken-down truck with no warning triangle'],
  sanitation: ['建筑垃圾 Construction waste dumped on the hard shoulder', '油污 Diesel spill across two lanes; slippery'],
  signal_fault: ['信号灯不亮 Traffic lights dark at the junction', '信号灯常红 Light stuck on red for ten minutes'],
  other: ['限高牌歪斜 Height-limit sign bent by a truck', '护栏缺口 Gap in the crash barrier after an accident'],
};

const departments: Record<GridCategory, string> = {
  pothole: '宝安区交通运输局 Baoan Transport Bureau, road maintenance',
  broken_manhole_cover: '深圳水务集团 Shenzhen Water Group',
  road_collapse: '宝安区交通运输局 Baoan Transport Bureau, road maintenance',
  obstacle: '交警宝安大队 Baoan Traffic Police Brigade',
  sanitation: '西乡街道城管办 Xixiang City Management Office',
  signal_fault: '交警宝安大队 Baoan Traffic Police Brigade',
  other: '宝安区交通运输局 Baoan Transport Bureau',
};

/** How often each category turns up, roughly as in the field: potholes and obstacles most. */
const categoryMix: GridCategory[] = [
  'pothole', 'pothole', 'pothole', 'pothole', 'pothole', 'pothole', 'pothole',
  'obstacle', 'obstacle', 'obstacle', 'obstacle',
  'broken_manhole_cover', 'broken_manhole_cover', 'sanitation', 'sanitation',
  'signal_fault', 'signal_fault', 'road_collapse', 'other', 'other',
];

/** Where a report's workflow stops (`duplicate`: confirmed as one; `flagged`: likely duplicate, still submitted). */
type Fate = 'closed' | 'resolved' | 'forwarded' | 'verified' | 'submitted' | 'rejected' | 'duplicate' | 'flagged';

/** Days after filing each step happens, and at what local hour. */
const steps: Array<[ReportStatus, days: number, hour: number]> = [
  ['verified', 1, 10],
  ['forwarded', 2, 11],
  ['resolved', 9, 16],
  ['closed', 11, 9.5],
];
const stepsTo: Record<Fate, number> = { submitted: 0, flagged: 0, rejected: 0, duplicate: 0, verified: 1, forwarded: 2, resolved: 3, closed: 4 };

/** A small deterministic generator (mulberry32), so every seed tells the same story. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Step = { at: Date; seq: number; what: string; run: (clock: Clock) => Promise<unknown> };

/** Things that happened, played back in time order with the clock set to each one's moment. */
class Timeline {
  readonly #steps: Step[] = [];
  constructor(readonly now: Date) {}

  /** The moment `daysAgo` local days before `now`, at a local hour (fractions are minutes). Always before `now`. */
  at(daysAgo: number, hour: number): Date {
    if (daysAgo < 1 || hour < 0 || hour >= 24) throw new Error(`seed history: ${daysAgo} days ago at ${hour} h is not in the past`);
    return new Date(localMidnight(localDate(new Date(this.now.getTime() - daysAgo * DAY))).getTime() + Math.round(hour * 60) * 60_000);
  }

  add(at: Date, what: string, run: (clock: Clock) => Promise<unknown>): void {
    this.#steps.push({ at, seq: this.#steps.length, what, run });
  }

  async play(): Promise<void> {
    const ordered = [...this.#steps].sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);
    for (const step of ordered) {
      try {
        await step.run({ now: () => step.at });
      } catch (error) {
        throw new Error(`seed history: ${step.what} at ${step.at.toISOString()} failed: ${String(error)}`, { cause: error });
      }
    }
  }
}

interface Driver {
  id: string;
  spec: DriverSpec;
  session: SessionUser;
}

/**
 * Writes the demo history inside the caller's transaction (the demo seed's). `demo` are the
 * drivers the caller created; their join date is moved back to when their history starts.
 */
export async function seedHistory(tx: Db, now: Date, chair: SessionUser, demo: DemoDriver[]): Promise<void> {
  const t = new Timeline(now);
  const rnd = random(20_240_601);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const drivers = new Map<string, Driver>();
  const joined = new Set<string>();
  const sessionOf = (id: string, spec: DriverSpec): SessionUser => ({ id, role: 'driver', name: spec.name, phone: spec.phone, partnerId: null });

  // ——— the drivers ———
  for (const spec of demoSpecs) {
    const d = demo.find((x) => x.phone === spec.phone);
    if (!d) throw new Error(`seed history: demo driver ${spec.phone} was not created`);
    const driver = { id: d.id, spec, session: sessionOf(d.id, spec) };
    drivers.set(spec.phone, driver);
    const since = t.at(spec.joined, 9);
    await tx.update(users).set({ createdAt: since }).where(eq(users.id, d.id));
    joined.add(d.id);
    t.add(new Date(since.getTime() + 5 * 60_000), `opening balance of ${spec.phone}`, async (clock) => {
      const wallet = await walletOf(tx, d.id);
      await createLedger(tx, clock).transfer({
        key: `seed:opening:${d.id}`,
        debit: PROGRAMME_ACCOUNTS.issuance,
        credit: wallet!,
        amount: new Decimal(d.openingBalance),
        code: 'award',
        reason: 'Demo opening balance: points carried over from the paper points card',
        actorId: chair.id,
      });
    });
  }
  // Extra drivers share one password hash nobody knows: they exist for the numbers, not to sign in.
  // Each is created on the day they joined, so no re-grade of the past sees them before that.
  const unusableHash = await hashPassword(randomBytes(24).toString('base64url'));
  for (const spec of extraSpecs) {
    const id = randomUUID();
    drivers.set(spec.phone, { id, spec, session: sessionOf(id, spec) });
    const since = t.at(spec.joined, 9);
    t.add(since, `${spec.phone} joins`, async () => {
      await tx.insert(users).values({ id, role: 'driver', phone: spec.phone, name: spec.name, plateNumber: spec.plate!, passwordHash: unusableHash, createdAt: since });
      await openAccount(tx, { kind: 'driver_wallet', ownerId: id });
      joined.add(id);
    });
  }
  const driver = (phone: string) => drivers.get(phone)!;

  // ——— volunteering ———
  /** A claim filed in the app the evening after `daysAgo` (or on `submitted`), decided two days later unless `outcome` is null. */
  const claim = (
    who: Driver,
    daysAgo: number,
    hours: string,
    [event, organiser]: [string, string],
    outcome: { approve: true } | { reason: string } | null,
    { submitted = daysAgo - 1, photo = false } = {},
  ) => {
    const date = localDate(t.at(daysAgo, 12));
    const ref: { id?: string } = {};
    t.add(t.at(submitted, 20.5), `volunteering claim of ${who.spec.phone}`, async (clock) => {
      ref.id = (await submitClaim(tx, clock, who.id, { event, organiser, date, hours, photo: photo ? demoJpeg() : null })).id;
    });
    if (!outcome) return;
    t.add(t.at(submitted - 2, 10), `decision on a claim of ${who.spec.phone}`, (clock) =>
      'approve' in outcome ? approveClaim(tx, clock, chair, ref.id!) : rejectClaim(tx, clock, chair, ref.id!, outcome.reason),
    );
  };
  // Organised events twice a month; each month the committee imports the organisers' attendance
  // sheets as one CSV (approved and paid in bulk), as most programmes do.
  const hoursMix = ['2', '3', '3', '4', '4', '4', '5', '6'];
  const first = Math.max(...[...demoSpecs, ...extraSpecs].map((s) => s.joined));
  for (let imported = 3; imported + 30 < first; imported += 30) {
    const rows: string[] = [];
    for (const daysAgo of [imported + 19, imported + 5]) {
      const [event, organiser] = pick(events);
      const date = localDate(t.at(daysAgo, 12));
      for (const who of drivers.values()) {
        if (who.spec.joined > daysAgo + 1 && rnd() < who.spec.volunteers) rows.push([who.spec.phone, event, date, pick(hoursMix), organiser].join(','));
      }
    }
    if (rows.length === 0) continue;
    const fileName = `attendance-${localDate(t.at(imported + 5, 12)).slice(0, 7)}.csv`;
    const content = new TextEncoder().encode(['phone,event,date,hours,organiser', ...rows].join('\n') + '\n');
    t.add(t.at(imported, 10), `attendance import ${fileName}`, async (clock) => {
      const { done } = await startImport(tx, clock, { fileName, content, uploadedBy: chair.id });
      const result = await done;
      if (result?.status !== 'done' || result.applied !== rows.length) throw new Error(`attendance import ${fileName} ended ${JSON.stringify(result)}`);
    });
  }
  // Claims drivers filed themselves in the app, approved.
  claim(driver('13900000001'), 120, '2', events[1]!, { approve: true }, { photo: true });
  claim(driver('13900000001'), 61, '3', events[3]!, { approve: true });
  claim(driver('13900000002'), 90, '4', events[6]!, { approve: true });
  claim(driver('13900000103'), 75, '3', events[5]!, { approve: true });
  claim(driver('13900000107'), 33, '4', events[2]!, { approve: true });
  // Waiting for the committee, so the approval queue is not empty.
  claim(driver('13900000001'), 2, '2', events[1]!, null);
  claim(driver('13900000002'), 3, '4', events[3]!, null, { photo: true });
  claim(driver('13900000101'), 2, '3', events[5]!, null);
  claim(driver('13900000110'), 5, '6', events[2]!, null);
  // Refused, with reasons.
  claim(driver('13900000002'), 62, '5', events[6]!, { reason: 'No record of you on the organiser’s sign-in sheet for this event; ask them to confirm and claim again.' });
  claim(driver('13900000003'), 152, '10', events[0]!, {
    reason: 'The convoy ran from 08:00 to 12:00, not 10 hours; claim again with the hours you attended.',
  });
  claim(driver('13900000112'), 212, '3', events[7]!, { approve: true });
  claim(driver('13900000112'), 212, '3', events[7]!, { reason: `Same event and date as your claim approved on ${localDate(t.at(209, 10))}.` }, { submitted: 208 });

  // ——— grid reports ———
  let placed = 0;
  type Placed = { id?: string; road: string; lat: number; lng: number };
  const report = (who: Driver, daysAgo: number, category: GridCategory, fate: Fate, near?: Placed) => {
    const n = placed++;
    const base = near ?? places[n % places.length]!;
    const k = Math.floor(n / places.length);
    // Reports of one road sit 100 m+ apart; a duplicate sits about 20 m from the report it repeats.
    const lat = near ? near.lat + 150 : base.lat + k * 1_100;
    const lng = near ? near.lng + 100 : base.lng - k * 700;
    const ref: Placed = { road: base.road, lat, lng };
    const filedAt = t.at(daysAgo, 7 + Math.floor(rnd() * 11) + Math.floor(rnd() * 4) / 4);
    t.add(filedAt, `grid report ${n} of ${who.spec.phone}`, async (clock) => {
      const photo = n % 5 === 4 ? demoJpeg() : demoPng(n);
      const filed = await fileReport(tx, clock, who.id, {
        photo,
        lat: (lat / 1e6).toFixed(6),
        lng: (lng / 1e6).toFixed(6),
        category,
        note: `${pick(notes[category])} — ${base.road}`,
      });
      ref.id = filed.id;
      if (near && filed.likelyDuplicateOf !== near.id) throw new Error(`seed history: report ${n} should have been flagged as a likely duplicate`);
    });
    if (fate === 'rejected') {
      t.add(t.at(daysAgo - 1, 10), `rejection of grid report ${n}`, (clock) =>
        transitionReport(tx, clock, chair.id, ref.id!, { to: 'rejected', reason: 'The photo shows a lane already resurfaced; there is nothing to repair.' }),
      );
    }
    if (fate === 'duplicate') {
      t.add(t.at(daysAgo - 1, 15), `grid report ${n} marked duplicate`, (clock) => transitionReport(tx, clock, chair.id, ref.id!, { to: 'duplicate', note: 'Same pothole, reported the day before.' }));
    }
    for (const [to, days, hour] of steps.slice(0, stepsTo[fate])) {
      t.add(t.at(daysAgo - days, hour), `grid report ${n} ${to}`, (clock) =>
        transitionReport(tx, clock, chair.id, ref.id!, {
          to,
          ...(to === 'forwarded' ? { department: departments[category] } : {}),
          ...(to === 'resolved' ? { note: 'Department reports the repair done.' } : {}),
          ...(to === 'closed' ? { note: 'Checked on the next patrol: fixed.' } : {}),
        }),
      );
    }
    return ref;
  };
  for (const who of drivers.values()) {
    const { joined: from, reports: n } = who.spec;
    for (let i = 0; i < n; i++) {
      const daysAgo = Math.round(from - 8 - ((i + 0.5) * (from - 8 - 21)) / n + (rnd() - 0.5) * 4);
      report(who, Math.max(21, daysAgo), pick(categoryMix), 'closed');
    }
  }
  report(driver('13900000001'), 20, 'road_collapse', 'resolved');
  report(driver('13900000001'), 6, 'broken_manhole_cover', 'forwarded');
  report(driver('13900000001'), 1, 'pothole', 'submitted');
  report(driver('13900000002'), 3, 'obstacle', 'verified');
  report(driver('13900000003'), 40, 'pothole', 'rejected');
  report(driver('13900000101'), 4, 'sanitation', 'verified');
  const original = report(driver('13900000101'), 51, 'pothole', 'closed');
  report(driver('13900000109'), 50, 'pothole', 'duplicate', original);
  const lights = report(driver('13900000102'), 2, 'signal_fault', 'submitted');
  report(driver('13900000104'), 1, 'signal_fault', 'flagged', lights);
  report(driver('13900000103'), 8, 'other', 'forwarded');
  report(driver('13900000107'), 15, 'pothole', 'resolved');
  report(driver('13900000115'), 1, 'obstacle', 'submitted');

  // ——— safety records: posted the day after, one batch a day, as the traffic police feed does ———
  const feed = new Map<number, SafetyEventInput[]>();
  let serial = 0;
  const record = (who: Driver, [daysAgo, kind, severity, note]: SafetyRecord) => {
    const occurredAt = t.at(daysAgo, 8 + Math.floor(rnd() * 10) + Math.floor(rnd() * 60) / 60);
    const externalId = `${kind === 'inspection_passed' ? 'JC' : 'SZJJ'}-${localDate(occurredAt).replaceAll('-', '')}-${String(++serial).padStart(4, '0')}`;
    const batch = feed.get(daysAgo - 1) ?? [];
    batch.push({ externalId, driverId: who.id, kind, severity, occurredAt, note });
    feed.set(daysAgo - 1, batch);
    return externalId;
  };
  const safetyIds = new Map<string, string>();
  for (const who of drivers.values()) {
    const { joined: from, inspections, safety = [] } = who.spec;
    if (inspections) {
      for (let daysAgo = from - 30; daysAgo >= 2; daysAgo -= 365) {
        record(who, [daysAgo, 'inspection_passed', null, '年度安全检查合格 Annual roadworthiness inspection passed']);
      }
    }
    for (const s of safety) safetyIds.set(`${who.spec.phone}:${s[0]}`, record(who, s));
  }
  const recorded = new Map<string, string>();
  for (const [daysAgo, batch] of feed) {
    t.add(t.at(daysAgo, 10), 'safety records feed', async (clock) => {
      // The daily milestone pass has run by the time the feed arrives: pay what the streaks a
      // violation is about to end had reached (the pass below runs only monthly).
      const ending = batch.filter((e) => e.kind === 'violation').map((e) => e.driverId);
      if (ending.length > 0) await evaluateMilestones(tx, clock, ending);
      const outcome = await recordSafetyEvents(tx, clock, chair, batch);
      for (const item of outcome.items) recorded.set(item.externalId, item.id);
    });
  }

  // ——— an instant award and an open appeal ———
  t.add(t.at(45, 11), 'instant award', (clock) =>
    grantAward(
      tx,
      clock,
      chair.id,
      {
        driverId: driver('13900000001').id,
        points: new Decimal('100'),
        reason: 'Stopped at an overturned van on the Guangshen Highway, set out warning triangles and kept the lane safe until the police came',
      },
      'seed-award-guangshen-rescue',
    ),
  );
  const li = driver('13900000002');
  t.add(t.at(4, 20), 'appeal', (clock) =>
    fileAppeal(tx, clock, li.session, {
      subjectType: 'safety_event',
      subjectId: recorded.get(safetyIds.get(`${li.spec.phone}:20`)!)!,
      reason: 'The camera photo shows plate 粤B·E5676, not my 粤B·E5678; I was at the Shekou depot at that time (gate log attached to my email to the committee).',
    }),
  );

  // ——— the daily jobs, once a month of the past, then once now ———
  const dailyJobs = async (clock: Clock) => {
    await evaluateMilestones(tx, clock, [...joined]);
    await regradeAll(tx, clock, { cause: 'daily' });
  };
  for (let daysAgo = first - 1; daysAgo >= 1; daysAgo -= 30) t.add(t.at(daysAgo, 2), 'daily jobs', dailyJobs);

  await t.play();
  await dailyJobs({ now: () => now });
}
