import { type ArgumentMetadata } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { DomainException } from '../../../../libs/domain/src';
import { createValidationPipe, MAX_BODY_DEPTH } from './validation.pipe';

class NoteRequest {
  @IsString()
  @Length(1, 100)
  note!: string;
}

const body: ArgumentMetadata = { type: 'body', metatype: NoteRequest };
const query: ArgumentMetadata = { type: 'query', metatype: Object };

/** The 422 the pipe throws for `value`, as field errors (or the value it lets through). */
async function answer(value: unknown, metadata: ArgumentMetadata) {
  try {
    return { passed: await createValidationPipe().transform(value, metadata) };
  } catch (e) {
    if (e instanceof DomainException) {
      return { code: e.code, errors: e.errors };
    }
    throw e;
  }
}

describe('the API validation pipe', () => {
  it('refuses a body that is not a JSON object, naming the body', async () => {
    for (const value of [[{ note: 'x' }], 'text', 42, null]) {
      expect(await answer(value, body)).toEqual({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'body', message: expect.stringMatching(/^must be a JSON object, not /) }],
      });
    }
  });

  it('refuses a body nested deeper than the API takes before class-transformer walks it (it overflowed: a 500)', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 5000; i += 1) {
      deep = [deep];
    }
    expect(await answer({ note: deep }, body)).toEqual({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'body', message: `must not nest deeper than ${MAX_BODY_DEPTH} levels` }],
    });
  });

  it('names the field whose text holds a NUL or an unpaired surrogate, which PostgreSQL refuses', async () => {
    expect(await answer({ note: 'a\u0000b' }, body)).toEqual({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'note', message: 'must not contain the NUL character or an unpaired UTF-16 surrogate' }],
    });
    expect((await answer({ q: '\ud800', limit: '5' }, query)).errors).toEqual([
      { field: 'q', message: 'must not contain the NUL character or an unpaired UTF-16 surrogate' },
    ]);
  });

  it('lets a well-formed body and paired surrogates (emoji, rare Hán characters) through to its rules', async () => {
    expect(await answer({ note: 'Hồ sơ 𠀋 📄' }, body)).toEqual({ passed: { note: 'Hồ sơ 𠀋 📄' } });
    expect((await answer({ note: '' }, body)).errors).toEqual([
      { field: 'note', message: 'note must be longer than or equal to 1 characters' },
    ]);
  });
});
