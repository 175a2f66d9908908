import { count, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type OfferCategory } from '../db/schema/index';
import type { Role } from './auth/auth.schemas';
import { createUser } from './auth/auth.service';
import type { Clock } from './clock';
import type { SessionUser } from './http/env';
import { approveOffer, createOffer } from './market/offers';
import { confirmVoucher, redeem } from './market/redemptions';
import { addStaff, createPartner } from './partners/partners.service';
import { seedHistory, type DemoDriver } from './seed-history';

export interface DemoLogin {
  role: Role;
  phone: string;
  password: string;
  name: string;
}

/** Demo sign-ins, printed at start. Public by design: this is a demo programme. */
export const demoLogins: DemoLogin[] = [
  { role: 'committee', phone: '13800000001', password: 'committee-demo-1', name: '陈委员 Chen (committee)' },
  { role: 'partner_staff', phone: '13700000001', password: 'garage-demo-01', name: '刘师傅 Liu (Shunda Garage)' },
  { role: 'partner_staff', phone: '13700000002', password: 'school-demo-01', name: '周老师 Zhou (Harbour Driving School)' },
  { role: 'partner_staff', phone: '13700000003', password: 'station-demo-1', name: '吴工 Wu (Baoan Inspection Station)' },
  { role: 'driver', phone: '13900000001', password: 'driver-demo-01', name: '王建国 Wang Jianguo' },
  { role: 'driver', phone: '13900000002', password: 'driver-demo-02', name: '李师傅 Li Ming' },
  { role: 'driver', phone: '13900000003', password: 'driver-demo-03', name: '张伟 Zhang Wei' },
];

const partnersToSeed = [
  { name: '顺达汽修 Shunda Garage', kind: 'garage', region: 'Baoan', address: '12 Harbour Road', contact: '0755-2345 6789' },
  { name: '港湾驾校 Harbour Driving School', kind: 'training_school', region: 'Nanshan', address: '88 Keyuan Road', contact: '0755-8765 4321' },
  { name: '宝安检测站 Baoan Inspection Station', kind: 'inspection_station', region: 'Baoan', address: '3 Xixiang Avenue', contact: '0755-1122 3344' },
] as const;

interface DemoOffer {
  category: OfferCategory;
  title: string;
  description: string;
  faceValue: string;
  price: string;
  stock: number;
  perDriverLimit: number;
  minGrade?: 'AAA' | 'AA' | 'A';
  /** Left for the committee to approve, so the approval queue is not empty. */
  pending?: boolean;
}

/** Every partner offers something in every category; index = partnersToSeed's. */
const offersToSeed: DemoOffer[][] = [
  [
    { category: 'repair', title: '刹车保养 Brake service', description: 'Pads and discs checked; pads replaced if below 3 mm. Parts extra.', faceValue: '¥200 off brake service', price: '180.00', stock: 50, perDriverLimit: 1 },
    { category: 'repair', title: '轮胎更换 Tyre replacement', description: 'Fitting and balancing of four truck tyres.', faceValue: '¥100 off four tyres', price: '90.00', stock: 40, perDriverLimit: 1 },
    { category: 'repair', title: '发动机大修 Engine overhaul', description: 'For drivers rated AA or better.', faceValue: '¥500 off an engine overhaul', price: '400.00', stock: 10, perDriverLimit: 1, minGrade: 'AA' },
    { category: 'training', title: '日常保养课 Daily maintenance workshop', description: 'Two hours on oil, coolant, belts and tyre pressure, Saturday mornings.', faceValue: 'Free workshop seat (¥150 value)', price: '60.00', stock: 30, perDriverLimit: 1 },
    { category: 'inspection', title: '年检预检 Pre-inspection check', description: 'Lights, brakes and emissions checked before the annual inspection.', faceValue: '¥80 off a pre-inspection check', price: '70.00', stock: 60, perDriverLimit: 2 },
    { category: 'other', title: '驾驶室深度清洁 Cab deep clean', description: 'Seats, floor and dashboard cleaned while you wait.', faceValue: 'Free cab deep clean (¥120 value)', price: '50.00', stock: 40, perDriverLimit: 1 },
    { category: 'repair', title: '变速箱检修 Gearbox service', description: 'Oil change and inspection of the gearbox.', faceValue: '¥300 off gearbox service', price: '260.00', stock: 20, perDriverLimit: 1, pending: true },
  ],
  [
    { category: 'training', title: '安全驾驶培训 Defensive driving course', description: 'One-day course with a road session; certificate included.', faceValue: '¥300 off the defensive driving course', price: '240.00', stock: 25, perDriverLimit: 1 },
    { category: 'training', title: '危险品运输复训 Hazmat refresher', description: 'Annual refresher for dangerous-goods drivers.', faceValue: '¥150 off the hazmat refresher', price: '120.00', stock: 30, perDriverLimit: 1 },
    { category: 'repair', title: '应急维修课 Roadside repair class', description: 'Changing a wheel, jump-starting and fixing an air leak safely.', faceValue: '¥120 off the roadside repair class', price: '95.00', stock: 20, perDriverLimit: 1 },
    { category: 'inspection', title: '年检须知讲座 Inspection-ready seminar', description: 'What inspectors check and how to prepare your truck.', faceValue: 'Free seminar seat (¥60 value)', price: '30.00', stock: 50, perDriverLimit: 1 },
    { category: 'other', title: '驾驶员体检 Driver health check', description: 'Eyesight, blood pressure and hearing, as the licence renewal requires.', faceValue: '¥100 off the driver health check', price: '80.00', stock: 40, perDriverLimit: 1 },
    { category: 'training', title: '高级驾驶员认证 Advanced driver certificate', description: 'For drivers rated AAA: a day of advanced handling on the closed course, with certificate.', faceValue: '¥400 off the advanced driver certificate', price: '300.00', stock: 15, perDriverLimit: 1, minGrade: 'AAA' },
  ],
  [
    { category: 'inspection', title: '年检 Annual inspection', description: 'The statutory annual inspection for trucks up to 49 t.', faceValue: '¥120 off the annual inspection', price: '99.99', stock: 80, perDriverLimit: 1 },
    { category: 'inspection', title: '尾气检测 Emissions test', description: 'Emissions test with a printed report.', faceValue: '¥50 off the emissions test', price: '40.00', stock: 80, perDriverLimit: 2 },
    { category: 'repair', title: '灯光调校 Headlight alignment', description: 'Headlights aimed to the inspection standard.', faceValue: '¥40 off headlight alignment', price: '35.00', stock: 50, perDriverLimit: 2 },
    { category: 'inspection', title: '快速检测通道 Fast-lane inspection', description: 'For drivers rated A or better: a booked slot in the fast lane, no queue.', faceValue: 'Skip the queue (¥60 value)', price: '45.00', stock: 60, perDriverLimit: 2, minGrade: 'A' },
    { category: 'training', title: '车辆安全检查课 Vehicle safety check class', description: 'Learn the daily walk-around check in one hour.', faceValue: 'Free class seat (¥80 value)', price: '25.00', stock: 40, perDriverLimit: 1 },
    { category: 'other', title: '安全停车一天 A day of secure parking', description: 'Guarded parking next to the station for one day.', faceValue: 'One free day of secure parking', price: '20.00', stock: 100, perDriverLimit: 3 },
  ],
];

/** Demo vouchers: [driver index, partner index, offer title, what happened]. */
const redemptionsToSeed: Array<[number, number, string, 'confirmed' | 'held']> = [
  [0, 0, '刹车保养 Brake service', 'confirmed'],
  [0, 2, '尾气检测 Emissions test', 'held'],
  [1, 2, '安全停车一天 A day of secure parking', 'held'],
  [2, 1, '安全驾驶培训 Defensive driving course', 'confirmed'],
  [2, 2, '年检 Annual inspection', 'held'],
];

const plates = ['粤B·D1234', '粤B·E5678', '粤B·F9012'];
const openingBalances = ['320.00', '85.50', '1200.00'];

/**
 * Seeds a demo programme when the database has no users: a committee member, one partner of each
 * kind with a staff user and active offers in every category (some for a minimum grade, one more
 * awaiting approval), three drivers with printed logins and twenty more, about fourteen months
 * of their earning, safety and rating history (api/seed-history.ts), and a few vouchers bought
 * now at each driver's grade (some confirmed, some held). Does nothing on a database in use.
 */
export async function seedDemo(db: Db, now: Date): Promise<{ created: boolean; logins: DemoLogin[] }> {
  const [row] = await db.select({ n: count() }).from(users);
  if ((row?.n ?? 0) > 0) return { created: false, logins: demoLogins };

  // One process seeds; a second one started at the same moment waits and then finds users.
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('milepost:seed'))`);
    const [again] = await tx.select({ n: count() }).from(users);
    if ((again?.n ?? 0) > 0) return { created: false, logins: demoLogins };

    const committee = demoLogins[0]!;
    const chair = await createUser(tx, committee);
    const chairSession: SessionUser = { id: chair.id, role: 'committee', name: committee.name, phone: committee.phone, partnerId: null };

    const staff = demoLogins.filter((l) => l.role === 'partner_staff');
    const desks: SessionUser[] = [];
    const offerIds = new Map<string, string>();
    for (const [i, p] of partnersToSeed.entries()) {
      const partner = await createPartner(tx, chair.id, p, now);
      const user = await addStaff(tx, chair.id, partner.id, staff[i]!, now);
      desks.push({ id: user.id, role: 'partner_staff', name: staff[i]!.name, phone: staff[i]!.phone, partnerId: partner.id });
      for (const o of offersToSeed[i]!) {
        const { pending, ...body } = o;
        const offer = await createOffer(tx, chairSession, { ...body, partnerId: partner.id }, now);
        if (!pending) await approveOffer(tx, chairSession, offer.id, now);
        offerIds.set(`${i}:${o.title}`, offer.id);
      }
    }

    const drivers = demoLogins.filter((l) => l.role === 'driver');
    const driverSessions: SessionUser[] = [];
    const demoDrivers: DemoDriver[] = [];
    for (const [i, d] of drivers.entries()) {
      const driver = await createUser(tx, { ...d, plateNumber: plates[i] });
      demoDrivers.push({ id: driver.id, phone: d.phone, openingBalance: openingBalances[i]! });
      driverSessions.push({ id: driver.id, role: 'driver', name: d.name, phone: d.phone, partnerId: null });
    }
    // Fourteen months of earning, safety records and ratings, ending with a re-grade as of now,
    // so the vouchers below are priced at each driver's grade.
    await seedHistory(tx, now, chairSession, demoDrivers);

    const clock: Clock = { now: () => now };
    for (const [d, p, title, outcome] of redemptionsToSeed) {
      const offerId = offerIds.get(`${p}:${title}`)!;
      const { redemption } = await redeem(tx, clock, driverSessions[d]!, offerId, `seed:${d}:${offerId}`);
      if (outcome === 'confirmed') await confirmVoucher(tx, clock, desks[p]!, redemption.code);
    }
    return { created: true, logins: demoLogins };
  });
}
