export const committee = {
  id: '00000000-0000-4000-8000-00000000c001',
  role: 'committee',
  name: 'Zhao Min',
  phone: '13800000001',
  plateNumber: null,
  partnerId: null,
};

export const garage = {
  id: '00000000-0000-4000-8000-0000000000b1',
  name: '顺达汽修 Shunda Garage',
  kind: 'garage',
  region: 'Baoan',
  address: '12 Harbour Road',
  contact: null,
  status: 'active',
  settlementAccountId: '00000000-0000-4000-8000-0000000000e1',
};

export const school = {
  ...garage,
  id: '00000000-0000-4000-8000-0000000000b2',
  name: 'Harbour Driving School',
  kind: 'training_school',
  settlementAccountId: '00000000-0000-4000-8000-0000000000e2',
};

export function offer(extra: Record<string, unknown> = {}) {
  return {
    id: '00000000-0000-4000-8000-0000000000f1',
    partner: { id: garage.id, name: garage.name, kind: 'garage', region: 'Baoan' },
    category: 'repair',
    title: 'Brake service',
    description: '',
    faceValue: '¥200 off brake service',
    price: '120.00',
    yourPrice: '120.00',
    qualifies: true,
    affordable: null,
    stockTotal: 50,
    stockLeft: 50,
    perDriverLimit: 1,
    limitPeriod: 'month',
    validFrom: null,
    validTo: null,
    minGrade: null,
    status: 'pending_approval',
    createdAt: '2026-06-01T00:00:00.000Z',
    ...extra,
  };
}

export const driver = {
  id: '00000000-0000-4000-8000-0000000000d1',
  name: '李伟 Li Wei',
  phone: '13900000001',
  plateNumber: '粤B·12345',
  grade: 'AA',
  available: '320.00',
};
