// The JS heap of a page and its workers, through the DevTools protocol (performance.memory exists on pages only,
// and is coarse): each target of the page's origin is garbage-collected first, then asked for its used heap. The
// heap counted is V8's used heap plus the ArrayBuffers' backing stores (typed arrays hold their bytes outside it).

/**
 * The used JS heap, MB, of `page` and of every dedicated worker it runs (the app's data/scoring worker), after a
 * garbage collection in each: { totalMB, pageMB, workersMB: [..] }. `types`: the kinds of worker target counted
 * (["worker", "service_worker"] adds an extension's background, seen from one of its pages).
 */
export async function heapOf(context, page, { types = ["worker"] } = {}) {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send("HeapProfiler.collectGarbage").catch(() => undefined);
    const pageHeap = await cdp.send("Runtime.getHeapUsage");
    const { targetInfos } = await cdp.send("Target.getTargets");
    const pending = new Map();
    let next = 0;
    cdp.on("Target.receivedMessageFromTarget", (e) => {
      const m = JSON.parse(e.message);
      pending.get(m.id)?.(m);
    });
    const call = (sessionId, method) => {
      const id = ++next;
      return new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`${method} on a worker did not answer in 30 s`)), 30_000);
        pending.set(id, (m) => {
          clearTimeout(timer);
          if (m.error) fail(new Error(`${method}: ${m.error.message}`));
          else done(m.result);
        });
        cdp.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method }) }).catch(fail);
      });
    };
    // Scheme and host (an extension page's URL origin is "null").
    const url = new URL(page.url());
    const origin = `${url.protocol}//${url.host}`;
    const workersMB = [];
    for (const t of targetInfos.filter((t) => types.includes(t.type) && t.url.startsWith(origin))) {
      const { sessionId } = await cdp.send("Target.attachToTarget", { targetId: t.targetId, flatten: false });
      try {
        await call(sessionId, "HeapProfiler.collectGarbage").catch(() => undefined);
        const usage = await call(sessionId, "Runtime.getHeapUsage");
        workersMB.push({ url: t.url.replace(origin, ""), ...sizes(usage) });
      } finally {
        await cdp.send("Target.detachFromTarget", { sessionId }).catch(() => undefined);
      }
    }
    const pageMB = sizes(pageHeap);
    return { totalMB: round(pageMB.mb + workersMB.reduce((s, w) => s + w.mb, 0)), pageMB, workersMB };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

const round = (x) => Number(x.toFixed(1));
const mb = (bytes) => round(bytes / 2 ** 20);
/** One target's heap, MB: V8's used heap plus ArrayBuffer backing stores, and each apart. */
const sizes = (usage) => ({
  mb: mb(usage.usedSize + (usage.backingStorageSize ?? 0)),
  usedMB: mb(usage.usedSize),
  arrayBuffersMB: mb(usage.backingStorageSize ?? 0),
});
