import { useEffect, useRef } from "react";
import type { WireError } from "../../../engine/worker/protocol";
import { editors } from "../../monaco/editorRegistry";
import { cellTypingLibs } from "../../monaco/cellTypings";
import { monaco, typescript } from "../../monaco/setupMonaco";

let typingsAdded = false;
const MIN_HEIGHT = 96;
const MAX_HEIGHT = 640;

function addCellTypings(): void {
  if (typingsAdded) return;
  typingsAdded = true;
  const ts = typescript.typescriptDefaults;
  ts.setCompilerOptions({
    ...ts.getCompilerOptions(),
    target: typescript.ScriptTarget.ES2020,
    module: typescript.ModuleKind.ESNext,
    strict: false,
    allowNonTsExtensions: true,
    moduleResolution: typescript.ModuleResolutionKind.NodeJs,
  });
  // Cells are scripts sharing one global scope, as a notebook's cells share their variables.
  // Ignored: top-level await (1375, 1378: the worker runs a cell in an async function), and
  // redeclaring a name another cell declared (2451, 2300): the cell run last wins, as in Jupyter.
  ts.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false, diagnosticCodesToIgnore: [1375, 1378, 1208, 2451, 2300] });
  ts.setExtraLibs(cellTypingLibs());
}

export interface CodeEditorProps {
  cellId: string;
  defaultValue: string;
  language?: "typescript" | "markdown";
  /** Ctrl/Cmd+Enter runs the cell. */
  onRun: () => void;
  /** Shift+Enter runs the cell and moves to the next one. */
  onRunAndNext: () => void;
  /** Every edit, with the whole text. */
  onChange?: (source: string) => void;
  /** The last run's error, marked at its line. */
  error: WireError | null;
  autoFocus?: boolean;
}

/**
 * A Monaco editor for one cell. Uncontrolled (`defaultValue`) so the cursor
 * never jumps; the current text is read from the registry when the cell runs.
 */
export function CodeEditor({ cellId, defaultValue, language = "typescript", onRun, onRunAndNext, onChange, error, autoFocus }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const handlers = useRef({ onRun, onRunAndNext, onChange });
  handlers.current = { onRun, onRunAndNext, onChange };

  useEffect(() => {
    addCellTypings();
    const extension = language === "markdown" ? "md" : "ts";
    const model = monaco.editor.createModel(defaultValue, language, monaco.Uri.parse(`file:///cells/${cellId}.${extension}`));
    const editor = monaco.editor.create(host.current!, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      scrollbar: { alwaysConsumeMouseWheel: false },
      padding: { top: 6, bottom: 6 },
      fontSize: 13,
      lineNumbersMinChars: 3,
      tabSize: 2,
      theme: document.documentElement.dataset.theme === "dark" ? "vs-dark" : "vs",
      ariaLabel: language === "markdown" ? `Markdown of cell ${cellId}` : `Code of cell ${cellId}`,
      wordWrap: language === "markdown" ? "on" : "off",
      lineNumbers: language === "markdown" ? "off" : "on",
    });
    // addAction, not addCommand: commands are global and the last editor would win.
    editor.addAction({
      id: "run-cell",
      label: "Run cell",
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => handlers.current.onRun(),
    });
    editor.addAction({
      id: "run-cell-and-next",
      label: "Run cell and go to the next",
      keybindings: [monaco.KeyMod.Shift | monaco.KeyCode.Enter],
      run: () => handlers.current.onRunAndNext(),
    });
    const changeListener = model.onDidChangeContent(() => handlers.current.onChange?.(model.getValue()));
    if (autoFocus) editor.focus();
    // The editor grows with its code (within bounds), as a notebook cell should.
    const fit = () => {
      const height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, editor.getContentHeight()));
      host.current!.style.height = `${height}px`;
      editor.layout();
    };
    const sizeListener = editor.onDidContentSizeChange(fit);
    fit();
    editors.set(cellId, editor);
    return () => {
      sizeListener.dispose();
      changeListener.dispose();
      editors.delete(cellId);
      editor.dispose();
      model.dispose();
    };
    // The editor is created once per cell; defaultValue is only the first text.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cellId]);

  useEffect(() => {
    const model = editors.get(cellId)?.getModel();
    if (!model) return;
    const markers: monaco.editor.IMarkerData[] = [];
    if (error?.line !== undefined) {
      const line = Math.min(error.line, model.getLineCount());
      const column = Math.max(1, error.column ?? 1);
      markers.push({
        severity: monaco.MarkerSeverity.Error,
        message: `${error.name}: ${error.message}`,
        startLineNumber: line,
        startColumn: column,
        endLineNumber: line,
        endColumn: Math.max(column + 1, model.getLineMaxColumn(line)),
      });
    }
    monaco.editor.setModelMarkers(model, "run", markers);
  }, [cellId, error]);

  return <div className="code-editor" ref={host} data-testid="code-editor" />;
}
