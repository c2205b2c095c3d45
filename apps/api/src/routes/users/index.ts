import {
  CreateUserRequestSchema,
  CreateUserResponseSchema,
  IdParamsSchema,
  ProblemSchema,
  UpdateUserRequestSchema,
  UpdateUserResponseSchema,
  UserListResponseSchema,
} from '@collector/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentUser, toUserDto } from '../../plugins/app/auth.ts';
import { userRepository } from '../../repositories/user-repository.ts';

const ADMIN_ONLY = { roles: ['admin'] as const };
const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };

const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const users = userRepository(app.prisma);

  app.get(
    '',
    { config: ADMIN_ONLY, schema: { tags: ['users'], summary: 'All users (admin)', response: { 200: UserListResponseSchema, ...errors } } },
    async () => ({ users: (await users.list()).map(toUserDto) }),
  );

  app.post(
    '',
    {
      config: ADMIN_ONLY,
      schema: {
        tags: ['users'],
        summary: 'Create a user (admin); without a password one is generated and returned once',
        body: CreateUserRequestSchema,
        response: { 201: CreateUserResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { user, generatedPassword } = await users.create(request.body, { userId: currentUser(request).id, ip: request.ip, via: 'api' });
      return reply.status(201).send({ user: toUserDto(user), ...(generatedPassword ? { generatedPassword } : {}) });
    },
  );

  app.patch(
    '/:id',
    {
      config: ADMIN_ONLY,
      schema: {
        tags: ['users'],
        summary: 'Disable or enable a user, reset the password (admin)',
        params: IdParamsSchema,
        body: UpdateUserRequestSchema,
        response: { 200: UpdateUserResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { user, generatedPassword } = await users.update(request.params.id, request.body, { userId: currentUser(request).id, ip: request.ip, via: 'api' });
      return { user: toUserDto(user), ...(generatedPassword ? { generatedPassword } : {}) };
    },
  );
};

export default userRoutes;
