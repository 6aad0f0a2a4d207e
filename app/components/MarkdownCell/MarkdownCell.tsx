import { useCallback, useEffect, useState, type ReactNode } from "react";
import Markdown from "react-markdown";
import { editors } from "../../monaco/editorRegistry";
import { useCellHandles } from "../../notebook/cellHandles";
import { CodeEditor } from "../CodeEditor/CodeEditor";

export interface MarkdownCellProps {
  cellId: string;
  source: string;
  onChange: (source: string) => void;
  onRunAndNext: () => void;
  actions: ReactNode;
  autoFocus?: boolean;
}

/**
 * A Markdown cell: rendered until double-clicked (or Enter), edited in Monaco,
 * rendered again by Run / Ctrl+Enter / Shift+Enter. react-markdown renders no
 * raw HTML, so a shared notebook's text cannot inject script.
 */
export function MarkdownCell({ cellId, source, onChange, onRunAndNext, actions, autoFocus }: MarkdownCellProps) {
  const [editing, setEditing] = useState(source.trim() === "" || Boolean(autoFocus));
  const handles = useCellHandles();
  const render = useCallback(async () => setEditing(false), []);

  useEffect(() => {
    handles.set(cellId, {
      run: render,
      stop: async () => undefined,
      clear: () => undefined,
      focus: () => {
        setEditing(true);
        editors.get(cellId)?.focus();
      },
    });
    return () => void handles.delete(cellId);
  }, [cellId, handles, render]);

  return (
    <article className="cell cell--markdown" data-testid="cell" data-cell-id={cellId} data-kind="markdown">
      <div className="cell__toolbar cell__toolbar--quiet">
        {editing ? (
          <button type="button" className="button" onClick={() => setEditing(false)} data-testid="markdown-done">
            ✓ Done
          </button>
        ) : (
          <button type="button" className="button" onClick={() => setEditing(true)} data-testid="edit-markdown">
            ✎ Edit
          </button>
        )}
        <span className="cell__spacer" />
        {actions}
      </div>
      {editing ? (
        <CodeEditor
          cellId={cellId}
          language="markdown"
          defaultValue={source}
          onRun={() => setEditing(false)}
          onRunAndNext={() => {
            setEditing(false);
            onRunAndNext();
          }}
          onChange={onChange}
          error={null}
          autoFocus
        />
      ) : (
        <div
          className="markdown-body"
          data-testid="markdown-rendered"
          tabIndex={0}
          onDoubleClick={() => setEditing(true)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              setEditing(true);
            }
          }}
        >
          <Markdown>{source || "*Empty text cell: double-click to write.*"}</Markdown>
        </div>
      )}
    </article>
  );
}
