/**
 * Updates a container to new markup while keeping the DOM nodes that did not change: focus,
 * scroll positions, open `<details>`, custom-element state and live input elements survive a
 * re-render. Input wrappers (`[data-syslab-input]`) are never touched; the page owns their content.
 */

/** Makes `container`'s children match `html`, reusing nodes where the structure matches. */
export function morph(container: Element, html: string): void {
  const tpl = container.ownerDocument.createElement("template");
  tpl.innerHTML = html;
  morphChildren(container, tpl.content);
}

function morphChildren(from: Node, to: Node): void {
  const olds = Array.from(from.childNodes);
  const news = Array.from(to.childNodes);
  const n = Math.max(olds.length, news.length);
  for (let i = 0; i < n; i++) {
    const o = olds[i], nn = news[i];
    if (!o) from.appendChild(nn);
    else if (!nn) from.removeChild(o);
    else if (sameKind(o, nn)) patch(o, nn);
    else from.replaceChild(nn, o);
  }
}

function sameKind(a: Node, b: Node): boolean {
  if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) return false;
  if (a.nodeType !== 1) return true;
  return (a as Element).getAttribute("data-syslab-input") ===
    (b as Element).getAttribute("data-syslab-input");
}

function patch(o: Node, n: Node): void {
  if (o.nodeType !== 1) {
    if (o.nodeValue !== n.nodeValue) o.nodeValue = n.nodeValue;
    return;
  }
  const oe = o as Element, ne = n as Element;
  if (oe.hasAttribute("data-syslab-input")) return;
  for (const a of Array.from(oe.attributes)) {
    if (!ne.hasAttribute(a.name) && !keepsOwn(oe, a.name)) oe.removeAttribute(a.name);
  }
  for (const a of Array.from(ne.attributes)) {
    if (oe.getAttribute(a.name) !== a.value) oe.setAttribute(a.name, a.value);
  }
  morphChildren(oe, ne);
}

/** Attributes the user changes by interacting (an opened `<details>`) stay as the user left them. */
function keepsOwn(el: Element, attr: string): boolean {
  return attr === "open" && el.nodeName === "DETAILS";
}
