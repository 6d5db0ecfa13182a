// Preloaded by bench/profile.js next to `node --cpu-prof`: exits normally on SIGTERM, so V8 writes
// the profile (Nest's shutdown hooks re-raise the signal, which would end the process without it).
'use strict';
process.on('SIGTERM', () => process.exit(0));
