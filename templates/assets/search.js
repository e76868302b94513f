// The search page: loads the index and MiniSearch on first use (not with the page), then shows
// posts, talks (with the link to their moment in the recording) and speakers as you type,
// typo-tolerant. No request leaves the site; results are announced to screen readers.
const root = document.getElementById('search');
const input = root.querySelector('input[type="search"]');
const status = root.querySelector('[role="status"]');
const list = root.querySelector('.search-results');
let engine;

function load() {
  engine ??= Promise.all([import(root.dataset.engine), fetch(root.dataset.index).then((response) => response.json())]).then(([module, data]) => {
    const MiniSearch = module.default;
    const documents = [];
    data.posts.forEach(([title, url, date, tags], i) => documents.push({ id: `p${i}`, kind: 'meetup', title, tags, url, date }));
    data.speakers.forEach(([name, url, count], i) => documents.push({ id: `s${i}`, kind: 'speaker', title: name, speaker: name, url, count }));
    data.talks.forEach(([title, speakers, post, url, clock], i) => {
      const [meetup, postUrl, date] = data.posts[post];
      documents.push({ id: `t${i}`, kind: 'talk', title, speaker: speakers.map((s) => data.speakers[s][0]).join(' & '), meetup, url, clock, postUrl, date });
    });
    const search = new MiniSearch({
      fields: ['title', 'speaker', 'meetup', 'tags'],
      storeFields: ['kind', 'title', 'speaker', 'meetup', 'url', 'clock', 'postUrl', 'date', 'count'],
      searchOptions: { boost: { title: 2, speaker: 1.5 }, prefix: true, fuzzy: 0.2, combineWith: 'AND' },
    });
    search.addAll(documents);
    return search;
  });
  return engine;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function link(href, text, className) {
  const a = element('a', className, text);
  a.href = href;
  return a;
}

function item(result) {
  const li = element('li', `search-result search-${result.kind}`);
  if (result.kind === 'talk') {
    const time = link(result.url, result.clock, 'talk-time');
    time.append(element('span', 'visually-hidden', ' – watch from here'));
    li.append(time, element('span', 'talk-title', result.title));
    if (result.speaker) li.append(element('span', 'talk-speaker', result.speaker));
    const post = element('span', 'talk-post');
    post.append(link(result.postUrl, result.meetup), `, ${result.date}`);
    li.append(post);
  } else if (result.kind === 'speaker') {
    li.append(link(result.url, result.title), element('span', 'search-kind', ` speaker, ${result.count} ${result.count === 1 ? 'talk' : 'talks'}`));
  } else {
    li.append(link(result.url, result.title), element('span', 'search-kind', ` meetup, ${result.date}`));
  }
  return li;
}

let asked = 0;
async function run() {
  const query = input.value.trim();
  const ticket = ++asked;
  if (query === '') {
    list.replaceChildren();
    status.textContent = '';
    return;
  }
  const search = await load();
  if (ticket !== asked) return;
  const results = search.search(query).slice(0, 50);
  list.replaceChildren(...results.map(item));
  status.textContent = results.length === 0 ? `Nothing found for “${query}”.` : `${results.length === 50 ? '50 best' : results.length} ${results.length === 1 ? 'result' : 'results'} for “${query}”.`;
  const params = new URLSearchParams(location.search);
  params.set('q', query);
  history.replaceState(null, '', `?${params}`);
}

root.querySelector('form').addEventListener('submit', (event) => {
  event.preventDefault();
  run();
});
input.addEventListener('input', run);
input.addEventListener('focus', () => load(), { once: true });
const given = new URLSearchParams(location.search).get('q');
if (given) {
  input.value = given;
  run();
}
