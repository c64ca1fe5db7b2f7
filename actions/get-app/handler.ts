import { getApp } from '../../src/domain/apps.js';
import { defineAction } from '../../src/handler/define-action.js';
import type { Input, Output } from './types.gen.js';

// A raw read: the SDK's Application models keep only the settings fields they know.
export default defineAction<Input, Output>(async ({ okta, input }) => {
  const app = await getApp(okta, input.appId);
  return {
    id: app.id,
    name: app.name,
    label: app.label,
    status: app.status,
    signOnMode: typeof app.signOnMode === 'string' ? app.signOnMode : null,
    app,
  };
});
