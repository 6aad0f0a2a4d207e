import { describe, expect, it } from "vitest";
import { MemoryFileSystem } from "../fs/MemoryFileSystem";
import { VfsDStreamCheckpointStore } from "./VfsDStreamCheckpointStore";
import type { DStreamCheckpointData } from "./DStreamCheckpointStore";

const data: DStreamCheckpointData = {
  version: 1,
  checkpointTime: 3000,
  zeroTime: 0,
  batchDurationMs: 1000,
  pendingTimes: [],
  states: [{ streamId: 4, kind: "StateDStream", time: 3000, partitions: [[["a", 3]], [["b", 1]]] }],
};

describe("VfsDStreamCheckpointStore", () => {
  it("saves a DStream checkpoint as a file of the virtual file system and loads it back", async () => {
    const fs = new MemoryFileSystem();
    const store = new VfsDStreamCheckpointStore(fs);
    expect(await store.load("cp/words")).toBeUndefined();
    await store.save("cp/words/", data);
    expect((await fs.list("cp/words")).map((f) => f.path)).toEqual(["cp/words/dstream-checkpoint.json"]);
    expect(await store.load("cp/words")).toEqual(data);
  });

  it("refuses a damaged or unknown checkpoint rather than starting over", async () => {
    const fs = new MemoryFileSystem();
    const store = new VfsDStreamCheckpointStore(fs);
    await fs.writeText("cp/a/dstream-checkpoint.json", '{"version":1,');
    await expect(store.load("cp/a")).rejects.toThrow(/damaged/);
    await fs.writeText("cp/b/dstream-checkpoint.json", '{"version":7}');
    await expect(store.load("cp/b")).rejects.toThrow(/version 7/);
  });
});
