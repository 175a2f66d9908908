import { createRoute, z } from '@hono/zod-openapi';
import { CreateStaffBody, UserRef } from '../auth/auth.schemas';
import { currentUser, requireRole } from '../auth/middleware';
import { createRouter, jsonBody, jsonContent, problems, signedIn } from '../http/openapi';
import { CreatePartnerBody, Partner, PartnerIdParam } from './partners.schemas';
import { addStaff, createPartner, listPartners } from './partners.service';

const committeeOnly = requireRole('committee');

const createPartnerRoute = createRoute({
  method: 'post',
  path: '/partners',
  tags: ['partners'],
  summary: 'Add a partner (garage, training school, inspection station)',
  security: signedIn,
  middleware: committeeOnly,
  request: { body: jsonBody(CreatePartnerBody) },
  responses: { 201: jsonContent(Partner, 'The new partner, with its settlement account'), ...problems(401, 403) },
});

const listPartnersRoute = createRoute({
  method: 'get',
  path: '/partners',
  tags: ['partners'],
  summary: 'List partners',
  security: signedIn,
  middleware: committeeOnly,
  responses: { 200: jsonContent(z.object({ items: z.array(Partner) }), 'All partners'), ...problems(401, 403) },
});

const addStaffRoute = createRoute({
  method: 'post',
  path: '/partners/{id}/staff',
  tags: ['partners'],
  summary: "Add a staff user to a partner's desk",
  security: signedIn,
  middleware: committeeOnly,
  request: { params: PartnerIdParam, body: jsonBody(CreateStaffBody) },
  responses: { 201: jsonContent(z.object({ user: UserRef }), 'The new staff user'), ...problems(401, 403, 404, 409) },
});

export const partnerRoutes = createRouter()
  .openapi(createPartnerRoute, async (c) => {
    const partner = await createPartner(c.get('db'), currentUser(c).id, c.req.valid('json'), c.get('clock').now());
    return c.json(partner, 201);
  })
  .openapi(listPartnersRoute, async (c) => c.json({ items: await listPartners(c.get('db')) }, 200))
  .openapi(addStaffRoute, async (c) => {
    const { id } = c.req.valid('param');
    const user = await addStaff(c.get('db'), currentUser(c).id, id, c.req.valid('json'), c.get('clock').now());
    return c.json({ user }, 201);
  });
