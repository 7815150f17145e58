// zod as baton uses it: zod/mini, which checks exactly what zod's full API does at a fraction of
// its load time (every start pays that: runbooks and baton.yaml are checked before anything runs),
// with zod's English messages for the issues baton does not word itself. Modules that define
// schemas import this for its effect, and zod/mini itself by name (so only what they use is bundled).
import { config } from 'zod/mini';
import english from 'zod/v4/locales/en.js';

config(english());
