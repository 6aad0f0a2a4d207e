import type { Example } from "./Example";

export const SESSION_WINDOWS: Example = {
  id: "session-windows",
  title: "Session windows",
  summary: "Per-user sessions that close after a gap of inactivity, with a static and a per-row gap.",
  cells: [
    {
      kind: "markdown",
      source: `# Session windows

A session window groups a key's events that are less than a **gap** apart: it starts at the first event and ends at the last event + the gap, and sessions merge when a new event bridges them — across batches too. In append mode a session is written once the watermark passes its end.

The \`events\` source below sends events for three users with random delays. The second cell gives each user its own gap with a column (\`F.when\`); rows whose gap is not positive are dropped, as in Spark.`,
    },
    {
      kind: "code",
      source: `const clicks = spark.readStream.format("events")
  .option("eventsPerSecond", 3).option("keys", "ana,bo,cy").option("maxDelay", "1 second").option("lateFraction", 0)
  .load()
  .withWatermark("eventTime", "2 seconds");

clicks.groupBy(F.sessionWindow(F.col("eventTime"), "3 seconds"), F.col("key"))
  .count()
  .writeStream.format("memory").queryName("sessions").outputMode("append").start();
`,
    },
    {
      kind: "code",
      source: `const gap = F.when(F.col("key").eq("ana"), "2 seconds").otherwise("5 seconds");

clicks.groupBy(F.sessionWindow(F.col("eventTime"), gap), F.col("key"))
  .count()
  .writeStream.format("memory").queryName("sessions_per_user_gap").outputMode("complete").start();
`,
    },
  ],
};
