import type { ComponentProps } from 'react';
import { TextField } from '../../../shared/ui/text-field.tsx';

/**
 * «Логин» as the sign-in and password-reset forms ask for it: typed as issued (spo_coord_RR), never capitalised
 * or spell-checked by the device, offered from the browser's saved usernames.
 */
export function LoginField(props: Omit<ComponentProps<typeof TextField>, 'label' | 'name'>) {
  return <TextField label="Логин" name="login" autoComplete="username" autoCapitalize="none" spellCheck={false} placeholder="spo_coord_RR" {...props} />;
}
