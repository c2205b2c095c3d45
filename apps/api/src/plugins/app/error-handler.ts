import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, toProblem } from '../../errors.ts';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/** Every error leaves as RFC 9457 problem+json with a catalogue code; 5xx details go to the log only. */
export default fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        for (const [k, v] of Object.entries(error.headers)) void reply.header(k, v);
        return reply.status(error.status).type(PROBLEM_JSON).send(toProblem(error.code, error.detail, request.url, error.fieldErrors));
      }
      if (hasZodFastifySchemaValidationErrors(error)) {
        const errors = error.validation.map((v) => ({
          path: [error.validationContext, ...v.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.'),
          message: v.message ?? 'Недопустимое значение',
        }));
        return reply.status(400).type(PROBLEM_JSON).send(toProblem('validation_failed', errors[0]?.message, request.url, errors));
      }
      if (isResponseSerializationError(error)) {
        request.log.error({ err: error }, 'response did not match its schema');
        return reply.status(500).type(PROBLEM_JSON).send(toProblem('internal_error', undefined, request.url));
      }
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
        return reply.status(413).type(PROBLEM_JSON).send(toProblem('payload_too_large', undefined, request.url));
      }
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        // malformed JSON, wrong content type and the like: the client's fault, not a crash
        return reply.status(400).type(PROBLEM_JSON).send(toProblem('validation_failed', 'Некорректный запрос', request.url));
      }
      request.log.error({ err: error }, 'unhandled error');
      return reply.status(500).type(PROBLEM_JSON).send(toProblem('internal_error', undefined, request.url));
    });

  },
  { name: 'error-handler' },
);
