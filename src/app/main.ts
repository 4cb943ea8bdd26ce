import './zod-jitless.ts';
import './keyhole-app.ts';
