/**
 * The worker entry: one CellSession exposed to the page through comlink.
 * Everything a cell does runs here, never on the page.
 */
import * as Comlink from "comlink";
import { CellSession } from "./CellSession";

Comlink.expose(new CellSession());
