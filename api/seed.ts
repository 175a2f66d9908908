import Decimal from 'decimal.js';
import { count, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema/index';
import type { Role } from './auth/auth.schemas';
import { createUser } from './auth/auth.service';
import { PROGRAMME_ACCOUNTS, walletOf } from './ledger/accounts';
import { createLedger } from './ledger/ledger';
import { addStaff, createPartner } from './partners/partners.service';

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

const plates = ['粤B·D1234', '粤B·E5678', '粤B·F9012'];
const openingBalances = ['320.00', '85.50', '1200.00'];

/**
 * Seeds a demo programme when the database has no users: a committee member, one partner of each
 * kind with a staff user, and three drivers with points. Does nothing on a database in use.
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

    const staff = demoLogins.filter((l) => l.role === 'partner_staff');
    for (const [i, p] of partnersToSeed.entries()) {
      const partner = await createPartner(tx, chair.id, p, now);
      await addStaff(tx, chair.id, partner.id, staff[i]!, now);
    }

    const ledger = createLedger(tx, { now: () => now });
    const drivers = demoLogins.filter((l) => l.role === 'driver');
    for (const [i, d] of drivers.entries()) {
      const driver = await createUser(tx, { ...d, plateNumber: plates[i] });
      const wallet = await walletOf(tx, driver.id);
      await ledger.transfer({
        key: `seed:opening:${driver.id}`,
        debit: PROGRAMME_ACCOUNTS.issuance,
        credit: wallet!,
        amount: new Decimal(openingBalances[i]!),
        code: 'award',
        reason: 'Demo opening balance',
        actorId: chair.id,
      });
    }
    return { created: true, logins: demoLogins };
  });
}
