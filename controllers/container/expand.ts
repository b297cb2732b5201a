// Kubernetes' $(VAR) expansion (third_party/forked/golang/expansion), used for env values, command
// and args: `$(NAME)` becomes NAME's value when NAME is defined and stays as written otherwise;
// `$$` is an escaped `$`, so `$$(NAME)` gives the literal `$(NAME)`. Shell syntax ($NAME, ${NAME})
// is not touched — that is the shell's business (commands.ts).
//
// Worked example (seed 001): "echo First name $(FIRSTNAME) last name $(LASTNAME)" with FIRSTNAME=Nigel,
// LASTNAME=Poulton → "echo First name Nigel last name Poulton".

export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      out += lookup(name) ?? `$(${name})`;
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}
