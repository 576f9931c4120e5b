#!/usr/bin/python3
# make_npy.py: writes the small .npy fixtures with real numpy, so the loader's header parser
# is checked against numpy's own output (the other cases are built byte by byte in
# tests/engine/test_vocab.c). Run from this directory with Debian's python3-numpy:
#   /usr/bin/python3 make_npy.py
import numpy as np
from numpy.lib import format as npf

logits = np.array([2.2, 1.8, 1.4, 0.9, 0.2, 0.1, -0.3, -0.6, -0.8, -1.0])
np.save('f4.npy', logits.astype('<f4'))
np.save('f8.npy', logits.astype('<f8'))
for version in [(2, 0), (3, 0)]:
    with open('v%d.npy' % version[0], 'wb') as f:
        npf.write_array(f, logits.astype('<f8'), version=version)
np.save('be_f4.npy', logits.astype('>f4'))
np.save('i4.npy', np.arange(10, dtype='<i4'))
np.save('rank2.npy', logits.reshape(2, 5))
np.save('f2.npy', logits.astype('<f2'))
