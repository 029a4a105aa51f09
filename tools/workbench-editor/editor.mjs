// The workbench's editor: CodeMirror 6 with JSON highlighting, soft wrap, bracket matching,
// completion from the tool's one vocabulary, and problems as markers. Built into one file by
// ./build.sh; the page (app.js) uses only what this module exports, as the global SmiEditor.
import { EditorState, Compartment } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  highlightSpecialChars, rectangularSelection, dropCursor,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
import { json, jsonParseLinter } from "@codemirror/lang-json";
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, startCompletion, currentCompletions } from "@codemirror/autocomplete";
import { lintGutter, lintKeymap, setDiagnostics, openLintPanel, forEachDiagnostic } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";

// The offset of a 1-based line and column, clamped into the text.
function offsetOf(doc, line, column) {
  if (line < 1) return 0;
  const l = doc.line(Math.min(line, doc.lines));
  return Math.min(l.to, l.from + Math.max(0, column - 1));
}

// A problem's place as a range: the token at its column (a name, a number, or the word inside a
// quoted literal, its quotes left out), so the marker covers exactly the misspelt word.
function rangeOf(doc, line, column) {
  const at = offsetOf(doc, line, column);
  const text = doc.sliceString(at, Math.min(doc.length, at + 200));
  const quote = /^\\?"(?=[A-Za-z0-9_])/.exec(text);
  const from = at + (quote ? quote[0].length : 0);
  const word = /^[A-Za-z0-9_.]+/.exec(text.slice(from - at));
  return word ? { from, to: from + word[0].length } : { from: at, to: at + (text.length > 0 && text[0] !== "\n" ? 1 : 0) };
}

// Completion of the vocabulary: members after 'device.', and device types, statuses, SMETS generations and periods
// inside an expression's quoted literal (\"...\" in the JSON text).
function vocabularyCompletion(vocabulary) {
  const members = vocabulary.members.map(m => ({
    label: m.name, type: m.call ? "function" : "property", detail: m.signature, info: m.meaning,
    apply: m.call ? m.name + "(" : m.name,
  }));
  const literals = [
    ...vocabulary.types.map(t => ({ label: t, type: "enum", detail: "device type" })),
    ...vocabulary.statuses.map(s => ({ label: s, type: "enum", detail: "status" })),
    ...(vocabulary.generations ?? []).map(g => ({ label: g, type: "enum", detail: "SMETS generation" })),
    ...vocabulary.periods.map(p => ({ label: p, type: "constant", detail: "period" })),
  ];
  return context => {
    const member = context.matchBefore(/device\.[A-Za-z]*/);
    if (member) return { from: member.from + "device.".length, options: members, validFor: /^[A-Za-z]*$/ };
    const literal = context.matchBefore(/\\"[A-Za-z0-9]*/);
    if (literal && (literal.to > literal.from + 2 || context.explicit)) return { from: literal.from + 2, options: literals, validFor: /^[A-Za-z0-9]*$/ };
    return null;
  };
}

/**
 * Makes an editor in `parent`. options: { text, vocabulary, nonce, onChange(text), onSave(), label }.
 * Returns the operations the page uses.
 */
export function create(parent, options) {
  const readOnly = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.text || "",
      extensions: [
        EditorView.cspNonce.of(options.nonce || ""),
        lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), foldGutter(), drawSelection(),
        dropCursor(), EditorState.allowMultipleSelections.of(true), indentOnInput(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }), bracketMatching(), closeBrackets(),
        autocompletion({ override: options.vocabulary ? [vocabularyCompletion(options.vocabulary)] : [], activateOnTyping: true }),
        rectangularSelection(), highlightActiveLine(), highlightSelectionMatches(),
        EditorView.lineWrapping,
        json(), lintGutter(),
        readOnly.of(EditorState.readOnly.of(false)),
        EditorView.contentAttributes.of({ "aria-label": options.label || "Policy JSON" }),
        keymap.of([
          { key: "Mod-s", preventDefault: true, run: () => { if (options.onSave) options.onSave(); return true; } },
          ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap,
          ...completionKeymap, ...lintKeymap, indentWithTab,
        ]),
        EditorView.updateListener.of(update => {
          if (update.docChanged && options.onChange) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });

  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    focus: () => view.focus(),
    // Problems and warnings as markers at their exact places; those without a place mark line 1.
    mark(problems, warnings) {
      const doc = view.state.doc;
      const toDiagnostic = severity => p => ({ ...rangeOf(doc, p.line, p.column), severity, message: p.message, source: p.rule ? `rule '${p.rule}'` : undefined });
      view.dispatch(setDiagnostics(view.state, [...problems.map(toDiagnostic("error")), ...warnings.map(toDiagnostic("warning"))]));
    },
    markers() {
      const found = [];
      forEachDiagnostic(view.state, (d, from, to) => found.push({ from, to, text: view.state.doc.sliceString(from, to), severity: d.severity, message: d.message }));
      return found;
    },
    // Puts the cursor at a line and column, selects the token there and shows it.
    goto(line, column) {
      const range = rangeOf(view.state.doc, line, column);
      view.dispatch({ selection: { anchor: range.from, head: range.to }, scrollIntoView: true });
      view.focus();
    },
    openProblems: () => openLintPanel(view),
    complete: () => startCompletion(view),
    completions: () => currentCompletions(view.state).map(c => c.label),
    // Inserts text at the end of a JSON array or object's last element: used to add a test case.
    replace(from, to, insert) { view.dispatch({ changes: { from, to, insert } }); },
    setReadOnly(on) { view.dispatch({ effects: readOnly.reconfigure(EditorState.readOnly.of(on)) }); },
  };
}

export { jsonParseLinter };
