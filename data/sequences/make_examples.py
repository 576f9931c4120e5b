#!/usr/bin/python3
# make_examples.py: writes the example sequences in this folder from the hand-written token
# tables below, each in the exact shape its server documents (no server was run: there is
# no network here). The tables are what matters; this script only lays them out, so that
# the whole and streamed versions of one response agree. Run from this folder:
#   /usr/bin/python3 make_examples.py
# The .npy example is synthetic logits made with numpy (see make_npy below).
import json
import math

import numpy as np


def b(s):
    return list(s.encode('utf-8')) if isinstance(s, str) else list(s)


def tok_str(raw):
    """A token's text as OpenAI shows it: the UTF-8 text, or \\xHH escapes for a piece of a
    character."""
    try:
        return raw.decode('utf-8')
    except UnicodeDecodeError:
        return ''.join('\\x%02x' % c for c in raw)


# ---- OpenAI chat (gpt-4o-mini-like), "Describe the sea in one sentence.", top_logprobs 5.
# Each position: (chosen, chosen logprob, [(alternative, logprob), ...] best first). The wave
# emoji U+1F30A (f0 9f 8c 8a) comes as two byte-level tokens; " restless" was sampled from
# outside the top five.
CHAT = [
    (b'The', -0.0199, [(b'The', -0.0199), (b'A', -4.2651), (b'Vast', -6.0132), (b'Endless', -6.8870), (b'Rest', -7.5412)]),
    (b' sea', -0.0012, [(b' sea', -0.0012), (b' ocean', -6.9310), (b' vast', -9.1003), (b' endless', -10.2236), (b' Sea', -11.0521)]),
    (b' is', -0.1398, [(b' is', -0.1398), (b' stretches', -2.6170), (b' shimmers', -3.7301), (b' rolls', -4.4406), (b',', -4.9984)]),
    (b' a', -0.0409, [(b' a', -0.0409), (b' an', -3.3718), (b' endless', -6.1127), (b' vast', -6.8542), (b' the', -8.4030)]),
    (b' restless', -3.9120, [(b' vast', -0.4417), (b' boundless', -2.2048), (b' shimmering', -2.3969), (b' living', -3.0157), (b' constantly', -3.5560)]),
    (b' blue', -1.2043, [(b' blue', -1.2043), (b',', -1.3525), (b' expanse', -1.8801), (b' giant', -2.9016), (b' mirror', -3.3214)]),
    (b' mirror', -0.6931, [(b' mirror', -0.6931), (b' expanse', -1.0986), (b' giant', -3.2189), (b' heart', -4.0112), (b' world', -4.4228)]),
    (b' ', -2.3025, [(b' of', -0.4364), (b' that', -2.0402), (b' ', -2.3025), (b',', -3.1087), (b' reflecting', -3.5002)]),
    (b'\xf0\x9f\x8c', -0.0305, [(b'\xf0\x9f\x8c', -0.0305), (b'\xf0\x9f\x92', -3.8140), (b'\xe2\x9c', -5.6001), (b'of', -7.2210), (b'\xf0\x9f\x90', -7.6615)]),
    (b'\x8a', -0.0004, [(b'\x8a', -0.0004), (b'\x85', -8.4213), (b'\x8d', -9.2001), (b'\x8c', -10.5260), (b'\x9e', -11.3307)]),
    (b'.', -0.0877, [(b'.', -0.0877), (b'!', -2.5930), (b' .', -5.1044), (b'\n\n', -6.6012), (b'...', -7.0440)]),
]


def chat_entry(raw, lp, top):
    return {'token': tok_str(raw), 'logprob': lp, 'bytes': b(raw),
            'top_logprobs': [{'token': tok_str(t), 'logprob': l, 'bytes': b(t)} for t, l in top]}


def write_chat():
    text = b''.join(raw for raw, _, _ in CHAT).decode('utf-8')
    whole = {
        'id': 'chatcmpl-9zXh2f0c1b8ExampleOnly', 'object': 'chat.completion', 'created': 1727000000,
        'model': 'gpt-4o-mini-2024-07-18',
        'choices': [{'index': 0, 'message': {'role': 'assistant', 'content': text, 'refusal': None},
                     'logprobs': {'content': [chat_entry(*p) for p in CHAT], 'refusal': None},
                     'finish_reason': 'stop'}],
        'usage': {'prompt_tokens': 14, 'completion_tokens': len(CHAT), 'total_tokens': 14 + len(CHAT)},
        'system_fingerprint': 'fp_0ba0d124f1'}
    with open('openai-chat.json', 'w') as f:
        json.dump(whole, f, indent=2, ensure_ascii=False)
        f.write('\n')
    head = {'id': 'chatcmpl-9zXh2f0c1b8ExampleOnly', 'object': 'chat.completion.chunk',
            'created': 1727000000, 'model': 'gpt-4o-mini-2024-07-18',
            'system_fingerprint': 'fp_0ba0d124f1'}
    chunks = [dict(head, choices=[{'index': 0, 'delta': {'role': 'assistant', 'content': '', 'refusal': None},
                                   'logprobs': None, 'finish_reason': None}])]
    for p in CHAT:
        piece = p[0].decode('utf-8', errors='ignore')
        chunks.append(dict(head, choices=[{'index': 0, 'delta': {'content': piece},
                                           'logprobs': {'content': [chat_entry(*p)], 'refusal': None},
                                           'finish_reason': None}]))
    chunks.append(dict(head, choices=[{'index': 0, 'delta': {}, 'logprobs': None, 'finish_reason': 'stop'}]))
    with open('openai-chat-stream.sse', 'w') as f:
        for c in chunks:
            f.write('data: ' + json.dumps(c, ensure_ascii=False, separators=(',', ':')) + '\n\n')
        f.write('data: [DONE]\n\n')


# ---- OpenAI legacy completions (gpt-3.5-turbo-instruct-like), prompt "Roses are red,",
# logprobs 5. top_logprobs are objects keyed by token text; the chosen " sweet" is not among
# its position's five.
LEGACY = [
    ('\n', -0.0366, {'\n': -0.0366, ' violets': -3.6251, '\n\n': -5.4420, ' vi': -6.8032, ' and': -7.1150}),
    ('Vi', -0.0108, {'Vi': -0.0108, 'The': -5.0421, 'And': -6.2253, 'Sugar': -7.3108, 'I': -7.8877}),
    ('olets', -0.0001, {'olets': -0.0001, 'olet': -9.6051, 'ol': -10.8892, 'oles': -12.0420, 'lets': -12.9003}),
    (' are', -0.0015, {' are': -0.0015, ' is': -7.0166, ' blue': -8.6240, ' were': -9.3305, ',': -10.2130}),
    (' blue', -0.0021, {' blue': -0.0021, ' purple': -6.6617, ' violet': -7.9902, ' too': -8.1344, ' Blue': -9.7209}),
    (',', -0.0598, {',': -0.0598, ';': -3.6100, '\n': -4.9121, '.': -5.5340, ' and': -6.0015}),
    ('\n', -0.0073, {'\n': -0.0073, ' ': -5.5220, ' sugar': -6.9083, '\n\n': -7.5120, ' and': -8.0271}),
    ('Sugar', -0.0821, {'Sugar': -0.0821, 'I': -3.1042, 'And': -4.0039, 'Honey': -5.4113, 'You': -5.7732}),
    (' is', -0.0039, {' is': -0.0039, "'s": -6.3010, ' are': -7.4402, ' tastes': -8.9105, ',': -9.5150}),
    (' sweet', -4.0112, {' so': -0.1570, ' not': -3.0011, ' good': -3.3812, ' nice': -3.9021, ' red': -3.9702}),
]


def write_legacy():
    text, offsets, pos = '', [], len('Roses are red,')
    for tok, _, _ in LEGACY:
        offsets.append(pos)
        pos += len(tok)
        text += tok
    whole = {'id': 'cmpl-9zXh5ExampleOnly', 'object': 'text_completion', 'created': 1727000100,
             'model': 'gpt-3.5-turbo-instruct',
             'choices': [{'text': text, 'index': 0,
                          'logprobs': {'tokens': [t for t, _, _ in LEGACY],
                                       'token_logprobs': [l for _, l, _ in LEGACY],
                                       'top_logprobs': [top for _, _, top in LEGACY],
                                       'text_offset': offsets},
                          'finish_reason': 'length'}],
             'usage': {'prompt_tokens': 4, 'completion_tokens': len(LEGACY), 'total_tokens': 4 + len(LEGACY)}}
    with open('openai-legacy.json', 'w') as f:
        json.dump(whole, f, indent=2, ensure_ascii=False)
        f.write('\n')


# ---- llama.cpp /completion (Llama-3.2-1B-Instruct-like vocabulary), prompt "Building a website
# can be done in 10 simple steps:", n_probs 5, temperature 0.8, top_k 40, top_p 0.95,
# min_p 0.05. (id, text, pre-sampling probability); the first of each list is best.
LLAMA = [
    (15166, ' Step', [(15166, ' Step', 0.4142), (198, '\n', 0.3308), (720, ' \n', 0.0612), (220, ' ', 0.0451), (578, ' The', 0.0217)]),
    (220, ' ', [(220, ' ', 0.9315), (16, '1', 0.0301), (832, ' one', 0.0125), (14, '/', 0.0033), (25, ':', 0.0012)]),
    (16, '1', [(16, '1', 0.9989), (15, '0', 0.0004), (17, '2', 0.0002), (358, ' I', 0.0001), (40, 'I', 0.0001)]),
    (25, ':', [(25, ':', 0.9604), (13, '.', 0.0271), (482, ' -', 0.0066), (12, '-', 0.0018), (198, '\n', 0.0009)]),
    (22991, ' Choose', [(22991, ' Choose', 0.2931), (31001, ' Define', 0.1827), (55402, ' Determine', 0.1103), (21194, ' Plan', 0.0946), (13969, ' Register', 0.0682)]),
    (264, ' a', [(264, ' a', 0.8140), (701, ' your', 0.1593), (279, ' the', 0.0199), (323, ' and', 0.0031), (459, ' an', 0.0010)]),
    (8106, ' domain', [(8106, ' domain', 0.7522), (5452, ' platform', 0.0837), (3566, ' web', 0.0511), (3254, ' website', 0.0320), (30552, ' hosting', 0.0304)]),
    (836, ' name', [(836, ' name', 0.9822), (323, ' and', 0.0101), (11, ',', 0.0029), (9234, ' registrar', 0.0015), (1210, ' Name', 0.0009)]),
    (198, '\n', [(198, '\n', 0.6013), (323, ' and', 0.2102), (271, '\n\n', 0.1104), (11, ',', 0.0180), (2355, ' \n', 0.0121)]),
]

# The same positions after llama.cpp's chain (top-k 40, top-p 0.95, min-p 0.05, T 0.8):
# the tokens the chain removed are gone and the rest renormalised, so a list can be shorter
# than n_probs. The chosen token at position 5 was " Plan", third after the chain.
LLAMA_POST = [
    (15166, ' Step', [(15166, ' Step', 0.5331), (198, '\n', 0.4032), (720, ' \n', 0.0637)]),
    (220, ' ', [(220, ' ', 1.0)]),
    (16, '1', [(16, '1', 1.0)]),
    (25, ':', [(25, ':', 1.0)]),
    (21194, ' Plan', [(22991, ' Choose', 0.3512), (31001, ' Define', 0.2018), (21194, ' Plan', 0.1211), (55402, ' Determine', 0.1150), (13969, ' Register', 0.0734)]),
    (264, ' a', [(264, ' a', 0.8766), (701, ' your', 0.1234)]),
    (8106, ' domain', [(8106, ' domain', 0.9103), (5452, ' platform', 0.0897)]),
    (836, ' name', [(836, ' name', 1.0)]),
    (198, '\n', [(198, '\n', 0.7022), (323, ' and', 0.2113), (271, '\n\n', 0.0865)]),
]


def logarithm(p):
    return math.log(p) if p > 0 else -3.4028234663852886e+38  # llama.cpp writes float's lowest


def llama_entry(tid, tok, top, post):
    key, tkey = ('prob', 'top_probs') if post else ('logprob', 'top_logprobs')
    chosen = [p for i, _, p in top if i == tid][0]
    conv = (lambda p: p) if post else logarithm
    return {'id': tid, 'token': tok, 'bytes': b(tok), key: round(conv(chosen), 7),
            tkey: [{'id': i, 'token': t, 'bytes': b(t), key: round(conv(p), 7)} for i, t, p in top]}


def llama_doc(rows, post, stream_piece=None):
    text = ''.join(t for _, t, _ in rows)
    return {'index': 0, 'content': text, 'tokens': [], 'id_slot': 0, 'stop': True,
            'model': 'Llama-3.2-1B-Instruct-Q4_K_M.gguf', 'tokens_predicted': len(rows),
            'tokens_evaluated': 14, 'generation_settings': {'n_probs': 5, 'temperature': 0.8,
            'top_k': 40, 'top_p': 0.95, 'min_p': 0.05, 'post_sampling_probs': post},
            'prompt': '<|begin_of_text|>Building a website can be done in 10 simple steps:',
            'has_new_line': True, 'truncated': False, 'stop_type': 'limit', 'stopping_word': '',
            'tokens_cached': 22, 'timings': {'prompt_n': 14, 'predicted_n': len(rows)},
            'completion_probabilities': [llama_entry(*r, post) for r in rows]}


def write_llama():
    post_rows = []
    for tid, tok, top in LLAMA_POST:
        if not [1 for i, _, _ in top if i == tid]:
            raise SystemExit('chosen not listed')
        post_rows.append((tid, tok, top))
    with open('llamacpp.json', 'w') as f:
        json.dump(llama_doc(LLAMA, False), f, indent=2)
        f.write('\n')
    with open('llamacpp-post.json', 'w') as f:
        json.dump(llama_doc(post_rows, True), f, indent=2)
        f.write('\n')
    with open('llamacpp-stream.sse', 'w') as f:
        for k, (tid, tok, top) in enumerate(LLAMA):
            chunk = {'index': 0, 'content': tok, 'tokens': [tid], 'stop': False, 'id_slot': 0,
                     'tokens_predicted': k + 1, 'tokens_evaluated': 14,
                     'completion_probabilities': [llama_entry(tid, tok, top, False)]}
            f.write('data: ' + json.dumps(chunk, separators=(',', ':')) + '\n\n')
        final = llama_doc(LLAMA, False)
        final.update(content='', completion_probabilities=[])
        f.write('data: ' + json.dumps(final, separators=(',', ':')) + '\n\n')


# ---- llama.cpp before PR #10783 (late 2023 to 2024): probabilities from the candidate list
# after the server's sampler chain, tok_str / prob, the chosen token only as "content".
def write_llama_old():
    rows = LLAMA_POST
    doc = {'content': ''.join(t for _, t, _ in rows), 'id_slot': 0, 'stop': True,
           'model': 'models/llama-2-7b-chat.Q4_K_M.gguf', 'tokens_predicted': len(rows),
           'tokens_evaluated': 14, 'generation_settings': {'n_probs': 5, 'temperature': 0.8},
           'completion_probabilities': [{'content': tok, 'probs': [{'tok_str': t, 'prob': p} for _, t, p in top]}
                                        for _, tok, top in rows]}
    with open('llamacpp-old.json', 'w') as f:
        json.dump(doc, f, indent=2)
        f.write('\n')


# ---- Ollama (llama3.2), top_logprobs 3. /api/generate whole; /api/chat streamed.
OLLAMA = [
    ('The', -0.0203, [('The', -0.0203), ('Great', -4.4008), ('A', -5.1160)]),
    (' sky', -0.0009, [(' sky', -0.0009), (' color', -7.5220), (' blue', -8.3054)]),
    (' looks', -1.9021, [(' appears', -0.2243), (' looks', -1.9021), (' is', -3.6627)]),
    (' blue', -0.0007, [(' blue', -0.0007), (' bluish', -7.6002), (' that', -9.0120)]),
    (' because', -0.0741, [(' because', -0.0741), (' due', -2.8514), (' mainly', -5.1045)]),
    (' air', -2.4120, [(' of', -0.5122), (' sunlight', -1.8410), (' the', -2.2014)]),
    (' scatters', -0.0432, [(' scatters', -0.0432), (' molecules', -3.3107), (' sc', -5.2201)]),
    (' blue', -0.2705, [(' blue', -0.2705), (' short', -1.5640), (' sunlight', -4.0031)]),
    (' light', -0.0135, [(' light', -0.0135), (' wavelengths', -4.5502), (' more', -6.3011)]),
    (' more', -0.1210, [(' more', -0.1210), (' most', -2.3044), (' far', -4.8881)]),
    ('.', -0.3140, [('.', -0.3140), (' than', -1.3260), (' strongly', -5.9104)]),
]


def ollama_entry(tok, lp, top):
    return {'token': tok, 'logprob': lp, 'bytes': b(tok),
            'top_logprobs': [{'token': t, 'logprob': l, 'bytes': b(t)} for t, l in top]}


def write_ollama():
    text = ''.join(t for t, _, _ in OLLAMA)
    whole = {'model': 'llama3.2', 'created_at': '2025-11-20T10:12:31.884812Z', 'response': text,
             'done': True, 'done_reason': 'stop', 'context': [128006, 9125, 128007],
             'total_duration': 812340208, 'load_duration': 20318125, 'prompt_eval_count': 31,
             'prompt_eval_duration': 101502000, 'eval_count': len(OLLAMA),
             'eval_duration': 688920000, 'logprobs': [ollama_entry(*p) for p in OLLAMA]}
    with open('ollama.json', 'w') as f:
        json.dump(whole, f, indent=2)
        f.write('\n')
    with open('ollama-stream.ndjson', 'w') as f:
        for k, p in enumerate(OLLAMA):
            chunk = {'model': 'llama3.2', 'created_at': '2025-11-20T10:14:02.%06dZ' % (100000 + 62000 * k),
                     'message': {'role': 'assistant', 'content': p[0]}, 'done': False,
                     'logprobs': [ollama_entry(*p)]}
            f.write(json.dumps(chunk, separators=(',', ':')) + '\n')
        final = {'model': 'llama3.2', 'created_at': '2025-11-20T10:14:02.802310Z',
                 'message': {'role': 'assistant', 'content': ''}, 'done': True, 'done_reason': 'stop',
                 'total_duration': 790120334, 'load_duration': 19022100, 'prompt_eval_count': 31,
                 'prompt_eval_duration': 98004000, 'eval_count': len(OLLAMA), 'eval_duration': 671000000}
        f.write(json.dumps(final, separators=(',', ':')) + '\n')


# ---- A 2-D .npy as Hugging Face generate(output_logits=True) gives it, with a toy 48-token
# vocabulary: logits shaped like a model's (a Gaussian body, the next word of the sentence
# "the cat sat on the mat ." far ahead, a few plausible rivals near it), seeded.
def write_npy():
    vocab = ['<pad>', '<s>', '</s>', 'the', ' the', ' cat', ' dog', ' sat', ' stood', ' lay', ' on',
             ' in', ' under', ' mat', ' rug', ' sofa', ' floor', ' .', ' !', ',', ' and', ' a',
             ' bird', ' slept', ' quietly', ' there', ' by', ' warm', ' soft', ' old', ' red',
             ' chair', ' table', ' window', ' bed', ' box', ' hat', ' tree', ' house', ' car',
             '\\n', ' it', ' was', ' then', ' purred', ' \\x23', ' é', ' 猫']
    text = ['the', ' cat', ' sat', ' on', ' the', ' mat', ' .']
    rivals = {' cat': [' dog', ' bird'], ' sat': [' lay', ' slept', ' stood'], ' on': [' in', ' by', ' under'],
              ' the': [' a', ' her'], ' mat': [' rug', ' sofa', ' floor', ' bed'], ' .': [' !', ' and', ',']}
    ids = {t: i for i, t in enumerate(vocab)}
    rng = np.random.default_rng(20240607)
    rows = []
    for t in text:
        row = rng.normal(0.0, 2.0, len(vocab))
        row[ids[t]] += 9.0
        for k, r in enumerate(rivals.get(t, [])):
            if r in ids:
                row[ids[r]] += 7.5 - 1.2 * k
        rows.append(row)
    logits = np.array(rows, dtype='<f4')
    np.save('hf-logits.npy', logits)
    np.save('hf-tokens.npy', np.array([ids[t] for t in text], dtype='<i8'))
    with open('hf-vocab.txt', 'w') as f:
        for t in vocab:
            f.write(t + '\n')


def check_mass():
    """Every hand-written list must be a possible top list: its probabilities (with the
    chosen token when it is not listed) sum to less than 1."""
    tables = [(c, l, dict(top)) for c, l, top in CHAT] + LEGACY + \
             [(c, l, dict(top)) for c, l, top in OLLAMA]
    for chosen, lp, top in tables:
        mass = sum(math.exp(v) for v in top.values()) + (0 if chosen in top else math.exp(lp))
        assert mass < 1.0, (chosen, mass)
    for rows in (LLAMA, LLAMA_POST):
        for _, _, top in rows:
            assert sum(p for _, _, p in top) <= 1.0 + 1e-9, top


check_mass()
write_chat()
write_legacy()
write_llama()
write_llama_old()
write_ollama()
write_npy()
