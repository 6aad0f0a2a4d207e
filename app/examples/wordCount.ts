import type { Example } from "./Example";

const FEED = "Start the feed server in a terminal first: `npm run feed` (it listens on 127.0.0.1:9999 and sends every line you type), or `npm run feed -- --words --rate 5` for generated words. The first run asks you to allow the connection.";

export const STRUCTURED_WORD_COUNT: Example = {
  id: "structured-word-count",
  title: "Structured word count from a socket",
  summary: "Spark's StructuredNetworkWordCount: lines from a socket, split into words, counted in complete mode.",
  cells: [
    {
      kind: "markdown",
      source: `# Structured Network Word Count

The first example of Spark's Structured Streaming guide. Spark reads lines from a TCP socket (\`nc -lk 9999\`); a browser tab cannot open TCP sockets, so the playground reads the same lines from a WebSocket.

${FEED}

Type a few lines into the feed and watch the counts update: complete mode rewrites the whole table every batch.`,
    },
    {
      kind: "code",
      source: `const lines = spark.readStream
  .format("socket")
  .option("host", "127.0.0.1")
  .option("port", 9999)
  .load();

// Split the lines into words
const words = lines.select(F.explode(F.split(F.col("value"), " ")).alias("word"));

// Generate running word count
const wordCounts = words.groupBy("word").count();

wordCounts.writeStream.outputMode("complete").format("console").start();
`,
    },
  ],
};

export const DSTREAM_WORD_COUNT: Example = {
  id: "dstream-word-count",
  title: "DStream network word count",
  summary: "Spark Streaming's NetworkWordCount: a receiver, 2-second batches, reduceByKey, pprint.",
  cells: [
    {
      kind: "markdown",
      source: `# Network Word Count with DStreams

The older Spark Streaming API: a **receiver** collects lines into blocks (one every 200 ms), and every **batch interval** (here 2 seconds) the blocks become one RDD, which the DStream operations transform. \`pprint()\` prints each batch's first elements under a \`Time: … ms\` header.

${FEED}

The bars under the cell are the batches: each one's height is its records, split into the receiver blocks that made its RDD. Under them, the windowed stream's windows: each covers the batches of the last 6 seconds, and a new one starts every 2 seconds.`,
    },
    {
      kind: "code",
      source: `const sc = new SparkContext("local[2]", "NetworkWordCount");
const ssc = new StreamingContext(sc, 2);

const lines = ssc.socketTextStream("127.0.0.1", 9999);
const counts = lines
  .flatMap((line) => line.split(" "))
  .map((word) => [word, 1] as [string, number])
  .reduceByKey((a, b) => a + b);
counts.pprint();

// A windowed DStream: the lines of the last 6 seconds, every 2 seconds.
lines.window(6, 2).count().pprint();

ssc.start();
`,
    },
  ],
};
