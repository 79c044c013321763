/**
 * Sign-on burst: 2,000 sign-ons from 50 concurrent HTTP clients (each a person with an account of
 * their own at an address of their own), then 50 simultaneous sign-ons of one organisation.
 * Throughput, latency percentiles, rows stored (the public list's total) and duplicates stored.
 * A first burst right after the server starts (V8 still compiling) is reported on its own line;
 * the medians are over the `--rounds` bursts that follow it.
 *
 *   node --import tsx bench/scenarios/signon.ts [--signons 2000] [--concurrency 50] [--duplicates 50]
 *     [--rounds 3] [--single-address]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createCharter, register, registerMany, routesPresent, startCharter } from '../lib/charter.js';
import { HttpClient } from '../lib/http.js';
import { cpuSeconds, repoRoot, runIfMain } from '../lib/proc.js';
import { parseArgs, quantile, Report } from '../lib/report.js';
import { postSignon, signonBody } from '../lib/signons.js';

export async function main(argv: string[]): Promise<Report> {
  const args = parseArgs(argv);
  const total = Number(args.signons ?? 2000);
  const concurrency = Number(args.concurrency ?? 50);
  const duplicates = Number(args.duplicates ?? 50);
  const rounds = Number(args.rounds ?? 3);
  const singleAddress = args['single-address'] === true;
  const cpuProf = args['cpu-prof'] === true;
  const profDir = join(repoRoot, 'bench/results/profiles');
  if (cpuProf) mkdirSync(profDir, { recursive: true });
  const report = new Report('signon', { total, concurrency, duplicates, rounds, singleAddress });
  const present = routesPresent();
  if (!present.versions || !present.signons) {
    report.notice('skipped: routes/versions.ts or routes/signons.ts is not there yet');
    return report;
  }
  const server = await startCharter({ nodeArgs: cpuProf ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [] });
  const figures = () => ({ throughput: [], p50: [], p99: [], max: [], stored: [], dupStored: [], dupAccepted: [], refused: [], limited: [], cpuMs: [], driverCpuMs: [] }) as Record<string, number[]>;
  const perRound = figures();
  // Round 0 is the first burst after the server started, while V8 is still compiling the hot
  // path: reported on its own line, and not part of the medians (a forum signs on a server that
  // has been running).
  const cold = figures();
  try {
    const owner = await register(server.url, 'signon-secretariat');
    const api = new HttpClient(server.url, owner.token);
    // Accounts are registered before the clock starts: one per concurrent client and round.
    const accounts = await registerMany(server.url, 'signer', concurrency * (rounds + 1));
    for (let r = 0; r <= rounds; r++) {
      const into = r === 0 ? cold : perRound;
      const label = r === 0 ? 'round 0 (cold)' : `round ${r}`;
      const charter = await createCharter(api, `Sign-on benchmark round ${r + 1}`);
      const fin = await api.expect<{ version: { id: string } }>('POST', `/api/charters/${charter.id}/finalise`, {}, 201);
      const versionId = fin.version.id;
      const clients = Array.from(
        { length: concurrency },
        (_, k) => new HttpClient(server.url, accounts[r * concurrency + k]!.token, { localAddress: singleAddress ? '127.0.0.1' : `127.0.2.${10 + k}`, maxSockets: 1 }),
      );
      // Warm the connections (and the route) outside the measured burst.
      await Promise.all(clients.map((c) => c.get('/api/health')));
      await report.quiet(label);
      const latencies: number[] = [];
      const statuses = new Map<number, number>();
      const cpu0 = cpuSeconds(server.pid);
      const driverCpu0 = process.cpuUsage();
      const t0 = performance.now();
      // Each client (one person) takes an equal share: 40 sign-ons each, under the 60 a minute one
      // account may make, so every refusal counted below is a real one.
      await Promise.all(
        clients.map(async (c, k) => {
          for (let i = k; i < total; i += concurrency) {
            const res = await postSignon(c, versionId, signonBody(i, `r${r}`));
            latencies.push(res.ms);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const cpuMs = (cpuSeconds(server.pid) - cpu0) * 1000;
      const driverCpu = process.cpuUsage(driverCpu0);
      const driverCpuMs = (driverCpu.user + driverCpu.system) / 1000;
      // The same organisation 50 times at once, spelled with different case and spacing.
      const dupBody = (k: number) => {
        const b = signonBody(total + 1, `r${r}`);
        const name = k % 3 === 0 ? b.organisation.name.toUpperCase() : k % 3 === 1 ? `  ${b.organisation.name.replace(/ /g, '   ')} ` : b.organisation.name;
        return { ...b, organisation: { ...b.organisation, name }, signatory: { ...b.signatory, email: `dup-${k}@bench.example.org` } };
      };
      const dup = await Promise.all(clients.slice(0, duplicates).map((c, k) => postSignon(c, versionId, dupBody(k))));
      const dupAccepted = dup.filter((d) => d.status === 201).length;
      const dupConflicts = dup.filter((d) => d.status === 409).length;
      const list = await new HttpClient(server.url).get(`/api/versions/${versionId}/signons`);
      const stored: number = list.body.total;
      const accepted = statuses.get(201) ?? 0;
      const limited = statuses.get(429) ?? 0;
      into.throughput!.push(accepted / seconds);
      into.p50!.push(quantile(latencies, 0.5));
      into.p99!.push(quantile(latencies, 0.99));
      into.max!.push(quantile(latencies, 1));
      into.stored!.push(stored);
      into.dupAccepted!.push(dupAccepted);
      // Rows for the duplicated organisation beyond the first one.
      into.dupStored!.push(Math.max(0, stored - accepted - 1) + Math.max(0, dupAccepted - 1));
      into.refused!.push(total - accepted);
      into.limited!.push(limited);
      into.cpuMs!.push(cpuMs / Math.max(1, accepted));
      into.driverCpuMs!.push(driverCpuMs / Math.max(1, accepted));
      console.log(
        `[signon] ${label}: ${accepted}/${total} accepted in ${seconds.toFixed(2)} s (${(accepted / seconds).toFixed(0)}/s), ` +
          `p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
          `duplicates: ${dupAccepted} accepted, ${dupConflicts} refused 409; stored ${stored}`,
      );
      if (limited) report.notice(`${label}: ${limited} sign-ons were refused with 429 (rate limit)`);
      for (const c of clients) c.close();
    }
    api.close();
  } finally {
    await server.stop();
  }
  Object.assign(report.raw, perRound, { cold });
  report.addRounds({ metric: `throughput (${concurrency} clients)`, system: 'charter', unit: '/s', rounds: perRound.throughput!, target: { op: '>=', bound: 1000, label: '>= 1,000/s' } });
  report.addRounds({ metric: 'latency p50', system: 'charter', unit: 'ms', rounds: perRound.p50! });
  report.addRounds({ metric: 'latency p99', system: 'charter', unit: 'ms', rounds: perRound.p99!, target: { op: '<', bound: 50, label: '< 50 ms' } });
  report.addRounds({ metric: 'latency max', system: 'charter', unit: 'ms', rounds: perRound.max! });
  report.add({
    metric: 'first burst after start (cold): p99',
    system: 'charter',
    unit: 'ms',
    value: cold.p99![0]!,
    note: `${cold.throughput![0]!.toFixed(0)}/s, p50 ${cold.p50![0]!.toFixed(1)} ms; not in the medians`,
  });
  report.addRounds({ metric: 'server CPU per sign-on', system: 'charter', unit: 'ms', rounds: perRound.cpuMs! });
  // The 50 clients run in this process on the same two cores: their CPU is the other half of the load.
  report.addRounds({ metric: 'benchmark clients CPU per sign-on', system: 'driver', unit: 'ms', rounds: perRound.driverCpuMs! });
  report.addRounds({ metric: `rows stored (of ${total} + 1)`, system: 'charter', unit: '', rounds: perRound.stored!, target: { op: '==', bound: total + 1, label: `= ${total + 1}` } });
  report.addRounds({ metric: `duplicates accepted (of ${duplicates})`, system: 'charter', unit: '', rounds: perRound.dupAccepted!, target: { op: '==', bound: 1, label: '= 1' } });
  report.addRounds({ metric: 'duplicates stored', system: 'charter', unit: '', rounds: perRound.dupStored!, target: { op: '==', bound: 0, label: '= 0' } });
  report.addRounds({ metric: 'sign-ons refused (429 etc.)', system: 'charter', unit: '', rounds: perRound.refused! });
  return report;
}

await runIfMain(import.meta.url, main, 20 * 60_000);
