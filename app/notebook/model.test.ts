import { describe, expect, it } from "vitest";
import { editNotebook, fromFile, newCell, newNotebook, NotebookFormatError, toFile } from "./model";
import { notebookFromHash, shareHash } from "./shareLink";

const nb = () => newNotebook("T", [{ kind: "markdown", source: "# hi" }, { kind: "code", source: "1" }, { kind: "code", source: "2" }]);

describe("notebook edits", () => {
  it("inserts, moves and deletes cells", () => {
    let n = nb();
    const extra = newCell("code", "3");
    n = editNotebook(n, { kind: "insert", at: 1, cell: extra });
    expect(n.cells.map((c) => c.source)).toEqual(["# hi", "3", "1", "2"]);
    n = editNotebook(n, { kind: "move", cellId: extra.id, by: 1 });
    expect(n.cells.map((c) => c.source)).toEqual(["# hi", "1", "3", "2"]);
    n = editNotebook(n, { kind: "move", cellId: n.cells[0]!.id, by: -1 });
    expect(n.cells[0]!.source).toBe("# hi");
    n = editNotebook(n, { kind: "delete", cellId: extra.id });
    expect(n.cells.map((c) => c.source)).toEqual(["# hi", "1", "2"]);
  });

  it("renames, never to an empty title", () => {
    expect(editNotebook(nb(), { kind: "rename", title: "  " }).title).toBe("Untitled");
    expect(editNotebook(nb(), { kind: "rename", title: "Counts" }).title).toBe("Counts");
  });
});

describe("notebook files and share links", () => {
  it("round-trips through a file with a fresh id", () => {
    const n = nb();
    const back = fromFile(JSON.parse(JSON.stringify(toFile(n))));
    expect(back.cells.map((c) => [c.kind, c.source])).toEqual(n.cells.map((c) => [c.kind, c.source]));
    expect(back.id).not.toBe(n.id);
  });

  it("rejects what is not a notebook, naming the problem", () => {
    expect(() => fromFile({ format: "x" })).toThrow(NotebookFormatError);
    expect(() => fromFile({ format: "streaming-playground-notebook", version: 9, cells: [] })).toThrow(/version 9/);
    expect(() => fromFile({ format: "streaming-playground-notebook", version: 1, cells: [{ kind: "sql" }] })).toThrow(/Cell 1/);
  });

  it("round-trips through a share link", () => {
    const n = nb();
    const hash = shareHash(n);
    expect(hash.startsWith("#code/")).toBe(true);
    expect(notebookFromHash(hash)!.cells.map((c) => c.source)).toEqual(["# hi", "1", "2"]);
    expect(notebookFromHash("#other")).toBeNull();
    expect(() => notebookFromHash("#code/%%%")).toThrow(/damaged/);
  });
});
