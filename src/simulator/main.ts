/** Runs the simulator on its own: `tsx src/simulator/main.ts` (PORT, default 4010; SEED, default 1). */
import { DEMO_TOKEN, SEEDED_USERS, startSimulator } from './index.js';

const started = performance.now();
const simulator = await startSimulator({
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 4010),
  seed: Number(process.env.SEED ?? 1),
});
console.log(
  `GitBook API simulator listening on ${simulator.url} (started in ${(performance.now() - started).toFixed(0)} ms)`,
);
console.log(`Demo token: ${DEMO_TOKEN}`);
console.log(`  curl -H "Authorization: Bearer ${DEMO_TOKEN}" ${simulator.url}/integrations?limit=3`);
for (const [handle, user] of Object.entries(SEEDED_USERS))
  console.log(`  ${handle.padEnd(6)} ${user.token}  ${user.sees}`);

const stop = () => {
  simulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
