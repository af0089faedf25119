// The cell registry's public facts (cuseq/recurrent_ops.h) against Keras'
// definitions: the layer name, the gates of the weight shapes, the bias layout
// (GRU reset_after=True keeps an input and a recurrent row) and the states a
// layer returns with return_state (LSTM: h and c).
#include <gtest/gtest.h>

#include "cuseq/recurrent_ops.h"

namespace cuseq {
namespace {

TEST(RecurrentCells, NamesGatesBiasShapesAndStatesAreKeras) {
  EXPECT_EQ(recurrent_cell_name(RecurrentCell::simple_rnn), "SimpleRNN");
  EXPECT_EQ(recurrent_cell_name(RecurrentCell::lstm), "LSTM");
  EXPECT_EQ(recurrent_cell_name(RecurrentCell::gru), "GRU");

  EXPECT_EQ(recurrent_gate_count(RecurrentCell::simple_rnn), 1);
  EXPECT_EQ(recurrent_gate_count(RecurrentCell::lstm), 4);
  EXPECT_EQ(recurrent_gate_count(RecurrentCell::gru), 3);

  EXPECT_EQ(recurrent_bias_shape(RecurrentCell::simple_rnn, 5), (Shape{5}));
  EXPECT_EQ(recurrent_bias_shape(RecurrentCell::lstm, 5), (Shape{20}));
  EXPECT_EQ(recurrent_bias_shape(RecurrentCell::gru, 5), (Shape{2, 15}));

  EXPECT_EQ(recurrent_state_count(RecurrentCell::simple_rnn), 1);
  EXPECT_EQ(recurrent_state_count(RecurrentCell::lstm), 2);
  EXPECT_EQ(recurrent_state_count(RecurrentCell::gru), 1);
}

}  // namespace
}  // namespace cuseq
