import { expect } from 'vitest';

interface Answer {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

/** Asserts an RFC 9457 problem+json answer with every required field, and the status and code given. */
export function expectProblem(res: Answer, status: number, code?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({
    type: expect.stringMatching(/^https:\/\/milepost\.dev\/problems\/[a-z-]+$/),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code: code ?? expect.any(String),
  });
  expect(res.json.type).toBe(`https://milepost.dev/problems/${res.json.code.replaceAll('_', '-')}`);
  return res.json as { type: string; title: string; status: number; detail: string; instance?: string; code: string; errors?: { path: string; message: string }[] };
}

/** Text that would betray internals: a stack frame or an error's class name. */
export function expectNoLeak(text: string) {
  expect(text).not.toMatch(/\bat .*\.(ts|js|mjs|cjs):\d+/);
  expect(text).not.toMatch(/\.ts:\d+/);
  expect(text).not.toContain('Error:');
  expect(text).not.toContain('node_modules');
}
