import { CreateUserRequestSchema, PASSWORD_MIN_LENGTH } from '@collector/contracts';
import type { CreateUserRequest, CreateUserResponse, Role } from '@collector/contracts';
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { errorMessage, isApiError } from '../../../shared/api/api-error.ts';
import { fieldErrorsFromIssues, fieldErrorsFromProblem } from '../../../shared/forms/field-errors.ts';
import type { FieldErrors } from '../../../shared/forms/field-errors.ts';
import { ROLE_LABELS } from '../../../shared/format/user-labels.ts';
import { Alert } from '../../../shared/ui/alert.tsx';
import { Button } from '../../../shared/ui/button.tsx';
import { SelectField } from '../../../shared/ui/select-field.tsx';
import { TextField } from '../../../shared/ui/text-field.tsx';
import { useCreateUser } from '../api/create-user.ts';

const FIELDS = ['login', 'role', 'regionCode', 'fullName', 'email', 'password'] as const;
type Field = (typeof FIELDS)[number];

export type CreateUserDraft = {
  login: string;
  role: Role;
  regionCode: string;
  fullName: string;
  email: string;
  password: string;
};

const EMPTY_DRAFT: CreateUserDraft = { login: '', role: 'coordinator', regionCode: '', fullName: '', email: '', password: '' };

const ROLE_OPTIONS = (Object.keys(ROLE_LABELS) as Role[]).map((role) => ({ value: role, label: ROLE_LABELS[role] }));

/**
 * Turns what was typed into the request the contract accepts: empty optional fields are left out,
 * the admin gets no region, everyone else must have one (the server says `region_required` too,
 * but the person should not need a round trip to learn it).
 */
export function toCreateUserRequest(
  draft: CreateUserDraft,
): { ok: true; request: CreateUserRequest } | { ok: false; errors: FieldErrors<Field> } {
  const candidate = {
    login: draft.login,
    role: draft.role,
    regionCode: draft.role === 'admin' ? null : draft.regionCode.trim(),
    fullName: draft.fullName.trim() === '' ? undefined : draft.fullName,
    email: draft.email.trim() === '' ? undefined : draft.email.trim(),
    password: draft.password === '' ? undefined : draft.password,
  };
  const parsed = CreateUserRequestSchema.safeParse(candidate);
  const errors: FieldErrors<Field> = parsed.success ? {} : fieldErrorsFromIssues(parsed.error.issues, FIELDS);
  if (candidate.login.trim() === '') errors.login = 'Введите логин';
  if (errors.email !== undefined) errors.email = 'Введите адрес электронной почты, например ivanova@example.ru';
  if (candidate.regionCode === '') errors.regionCode = 'Укажите код региона: у координатора и оператора он обязателен';
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request: parsed.data };
}

type CreateUserFormProps = {
  onCreated: (response: CreateUserResponse) => void;
  onCancel: () => void;
};

export function CreateUserForm({ onCreated, onCancel }: CreateUserFormProps) {
  const create = useCreateUser();
  const [draft, setDraft] = useState<CreateUserDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [failedSubmits, setFailedSubmits] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const loginRef = useRef<HTMLInputElement>(null);

  useEffect(() => loginRef.current?.focus(), []);

  // Focus the first field to fix once the errors are on screen.
  useEffect(() => {
    if (failedSubmits === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [failedSubmits]);

  const set = <K extends keyof CreateUserDraft>(key: K, value: CreateUserDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const result = toCreateUserRequest(draft);
    if (!result.ok) {
      create.reset();
      setErrors(result.errors);
      setFailedSubmits((n) => n + 1);
      return;
    }
    setErrors({});
    create.mutate(result.request, {
      onSuccess: (response) => {
        setDraft(EMPTY_DRAFT);
        onCreated(response);
      },
      onError: (error) => {
        if (!isApiError(error)) return;
        if (error.code === 'login_taken') setErrors({ login: error.userMessage });
        else if (error.code === 'region_required' || error.code === 'region_not_allowed' || error.code === 'region_unknown') setErrors({ regionCode: error.userMessage });
        else if (error.code === 'weak_password') setErrors({ password: error.userMessage });
        else if (error.code === 'validation_failed') setErrors(fieldErrorsFromProblem(error.fieldErrors, FIELDS));
        else return;
        setFailedSubmits((n) => n + 1);
      },
    });
  };

  // Codes tied to one field are shown beside it; anything else goes to the banner.
  const bannerError =
    create.error !== null &&
    !isApiError(create.error, 'login_taken') &&
    !isApiError(create.error, 'region_required') &&
    !isApiError(create.error, 'region_not_allowed') &&
    !isApiError(create.error, 'region_unknown') &&
    !isApiError(create.error, 'weak_password')
      ? errorMessage(create.error)
      : null;
  const hasFieldErrors = Object.keys(errors).length > 0;

  return (
    <section className="panel" aria-labelledby="create-user-title">
      <h2 id="create-user-title" className="panel__title">
        Новый пользователь
      </h2>
      {bannerError === null ? null : <Alert tone="error">{bannerError}</Alert>}
      {hasFieldErrors && bannerError === null ? <Alert tone="error">Проверьте отмеченные поля.</Alert> : null}
      <form ref={formRef} className="form form--grid" noValidate onSubmit={onSubmit} aria-label="Новый пользователь">
        <TextField
          ref={loginRef}
          label="Логин"
          name="login"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          hint="Например, spo_coord_77: латинские буквы, цифры, точка, дефис, подчёркивание"
          value={draft.login}
          onChange={(event) => set('login', event.target.value)}
          error={errors.login}
        />
        <SelectField
          label="Роль"
          name="role"
          options={ROLE_OPTIONS}
          value={draft.role}
          onChange={(event) => set('role', event.target.value as Role)}
          error={errors.role}
        />
        {draft.role === 'admin' ? (
          <p className="form__note">Администратор работает со всеми регионами, код региона ему не нужен.</p>
        ) : (
          <TextField
            label="Регион"
            name="regionCode"
            inputMode="numeric"
            maxLength={3}
            hint="Код региона: две или три цифры, например 77"
            value={draft.regionCode}
            onChange={(event) => set('regionCode', event.target.value)}
            error={errors.regionCode}
          />
        )}
        <TextField
          label="ФИО"
          name="fullName"
          autoComplete="off"
          hint="Необязательно"
          value={draft.fullName}
          onChange={(event) => set('fullName', event.target.value)}
          error={errors.fullName}
        />
        <TextField
          label="Электронная почта"
          name="email"
          type="email"
          autoComplete="off"
          hint="Необязательно; на неё придёт ссылка «Забыли пароль?»"
          value={draft.email}
          onChange={(event) => set('email', event.target.value)}
          error={errors.email}
        />
        <TextField
          label="Пароль"
          name="password"
          type="password"
          autoComplete="new-password"
          hint={`Необязательно. Оставьте пустым — пароль будет создан автоматически и показан один раз. Не короче ${PASSWORD_MIN_LENGTH} символов; простые пароли (12345…, qwerty, слово с цифрами) не принимаются.`}
          value={draft.password}
          onChange={(event) => set('password', event.target.value)}
          error={errors.password}
        />
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={create.isPending} busyLabel="Создаём…">
            Создать пользователя
          </Button>
          <Button variant="quiet" onClick={onCancel}>
            Отмена
          </Button>
        </div>
      </form>
    </section>
  );
}
