import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { newNotebook } from "./model";
import { NotebookStore } from "./NotebookStore";

describe("NotebookStore", () => {
  it("saves, lists by last edit, reads and deletes notebooks", async () => {
    const store = await NotebookStore.open();
    const a = { ...newNotebook("A", [{ kind: "code", source: "1" }]), updatedAt: 1 };
    const b = { ...newNotebook("B", []), updatedAt: 2 };
    await store.save(a);
    await store.save(b);
    expect((await store.list()).map((s) => s.title)).toEqual(["B", "A"]);
    expect((await store.get(a.id))?.cells[0]?.source).toBe("1");
    await store.delete(b.id);
    expect((await store.list()).map((s) => s.id)).toEqual([a.id]);
    store.close();
  });
});
